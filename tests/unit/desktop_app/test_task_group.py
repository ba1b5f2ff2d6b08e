"""TaskGroup: one screen's tasks with the common busy state and "failed — Coba lagi" behaviour."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktop_app import messages
from desktop_app.tasks import Progress, TaskGroup, TaskRunner
from domain.errors import KnownError


@pytest.fixture
def group(qtbot: Any) -> Iterator[TaskGroup]:
    runner = TaskRunner()
    yield TaskGroup(runner)
    runner.shutdown(wait=True)


class Flaky:
    """Fails with an expected error until `fixed`, then answers."""

    def __init__(self) -> None:
        self.fixed = False
        self.calls = 0

    def __call__(self, _p: Progress) -> str:
        self.calls += 1
        if not self.fixed:
            raise KnownError("Server tidak bisa dihubungi. Periksa koneksi internet, lalu coba lagi.")
        return "isi"


def test_an_expected_failure_says_its_text_and_retry_repeats_exactly_that_task(qtbot: Any, group: TaskGroup) -> None:
    started: list[str] = []
    failed: list[str] = []
    retry: list[bool] = []
    got: list[str] = []
    group.started.connect(started.append)
    group.failed.connect(failed.append)
    group.retry_changed.connect(retry.append)
    op = Flaky()
    group.run("Memuat kotak masuk", op, got.append)
    assert group.busy and started == ["Memuat kotak masuk"]
    qtbot.waitUntil(lambda: not group.busy, timeout=5000)
    assert failed == ["Memuat kotak masuk gagal. Server tidak bisa dihubungi. Periksa koneksi internet, lalu coba lagi."]
    assert group.can_retry and retry == [True] and got == []
    op.fixed = True
    group.retry()
    qtbot.waitUntil(lambda: not group.busy, timeout=5000)
    assert got == ["isi"] and op.calls == 2 and not group.can_retry
    assert retry == [True, False]


def test_a_failed_write_also_warns_through_the_bridge(qtbot: Any, group: TaskGroup) -> None:
    warnings: list[str] = []
    messages.bridge().warning.connect(warnings.append)
    try:
        group.run("Menyetujui 3 entri", Flaky(), lambda _r: None, write=True)
        qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    finally:
        messages.bridge().warning.disconnect(warnings.append)
    assert warnings == ["Menyetujui 3 entri gagal. Server tidak bisa dihubungi. Periksa koneksi internet, lalu coba lagi."]


def test_a_panel_that_handles_its_failure_gets_the_text_and_nothing_is_kept(qtbot: Any, group: TaskGroup) -> None:
    said: list[str] = []
    failed: list[str] = []
    started: list[str] = []
    group.failed.connect(failed.append)
    group.started.connect(started.append)
    group.run("Memuat riwayat", Flaky(), lambda _r: None, on_failure=said.append)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert said == ["Server tidak bisa dihubungi. Periksa koneksi internet, lalu coba lagi."]
    assert failed == [] and started == [] and not group.can_retry and not group.busy


def test_a_bug_is_reported_with_the_log_and_still_offered_again(qtbot: Any, group: TaskGroup,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app import logging_setup

    reported: list[BaseException] = []
    monkeypatch.setattr(logging_setup, "report_unexpected", lambda exc, already_logged=False: reported.append(exc))
    failed: list[str] = []
    group.failed.connect(failed.append)

    def bug(_p: Progress) -> None:
        raise ZeroDivisionError("bug")

    group.run("Memuat dasbor", bug, lambda _r: None)
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert failed == ["Memuat dasbor gagal. Terjadi kesalahan program (lihat log)."]
    assert len(reported) == 1 and isinstance(reported[0], ZeroDivisionError) and group.can_retry
