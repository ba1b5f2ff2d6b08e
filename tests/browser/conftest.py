"""Browser tests of the public pages: Debian's chromium driven by Playwright against a real server
process. Skipped, saying why, where either is missing (.ci/run installs both)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.public_server import People, public_server
from tests.support.serverproc import ServerProcess

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright tidak terpasang (pip install playwright, lihat constraints.txt)")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium tidak ada (apt-get install chromium; .ci/run memasangnya)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, People]]:
    """Two worker processes; a NIK is locked out after 5 checks, an address after 200."""
    srv, people = public_server(tmp_path_factory.mktemp("public"), workers=2, env={
        "BANSOS_PUBLIC_STATUS_PER_NIK": "5", "BANSOS_PUBLIC_STATUS_PER_ADDRESS": "200"})
    try:
        yield srv, people
    finally:
        srv.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 640}, java_script_enabled=False)
    pg = ctx.new_page()
    yield pg
    ctx.close()
