"""Regenerate the public pages' screenshots in docs/screenshots/public-*.png (phone 360×640 and
desktop 1280×800), in headless Chromium against a real server with seeded people.

    python -m tests.support.public_screenshots [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.public_server import public_server

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"phone": (360, 640), "desktop": (1280, 800)}


def _found(page: Any, url: str, people: Any) -> None:
    page.goto(f"{url}/publik/cek")
    page.fill("#nik", people.found.nik)
    page.fill("#kk", people.found.kk)
    page.click("button[type=submit]")


def _not_found(page: Any, url: str, people: Any) -> None:
    page.goto(f"{url}/publik/cek")
    page.fill("#nik", people.unknown.nik)
    page.fill("#kk", people.unknown.kk)
    page.click("button[type=submit]")


def _usul_error(page: Any, url: str, people: Any) -> None:
    page.goto(f"{url}/publik/usul?wilayah=1902012003")
    page.fill("#nik", "1902011313850001")
    page.fill("#name", "Sarmini")
    page.click("form[method=post] button[type=submit]")


def _ticket(page: Any, url: str, people: Any) -> None:
    page.goto(f"{url}/publik/sanggah?wilayah=1902012003")
    page.fill("#name", "Pak Kaya")
    page.select_option("#reason_code", "mampu")
    page.fill("#reason", "Sudah membuka toko bangunan dan punya mobil")
    page.fill("#reporter_name", "Warga RT 02")
    page.fill("#reporter_phone", "081298765432")
    page.click("form[method=post] button[type=submit]")


def _goto(path: str) -> Callable[[Any, str, Any], None]:
    return lambda page, url, _people: page.goto(f"{url}{path}")


SHOTS: dict[str, Callable[[Any, str, Any], None]] = {
    "menu": _goto("/publik/"),
    "cek": _goto("/publik/cek"),
    "cek-ditemukan": _found,
    "cek-tidak-ditemukan": _not_found,
    "usul-pilih-wilayah": _goto("/publik/usul?wilayah=190201"),
    "usul": _goto("/publik/usul?wilayah=1902012003"),
    "usul-salah": _usul_error,
    "sanggah": _goto("/publik/sanggah?wilayah=1902012003"),
    "tiket": _ticket,
    "lacak": _goto("/publik/lacak"),
}


def main(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        srv, people = public_server(Path(tmp), env={"BANSOS_PUBLIC_STATUS_FLOOR_MS": "0"})
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
                for size, (w, h) in SIZES.items():
                    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="id-ID",
                                              java_script_enabled=False)
                    page = ctx.new_page()
                    for name, act in SHOTS.items():
                        act(page, srv.url, people)
                        path = out / f"public-{name}-{size}.png"
                        page.screenshot(path=str(path))
                        written.append(path)
                    ctx.close()
                browser.close()
        finally:
            srv.stop()
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"):
        print(p)
