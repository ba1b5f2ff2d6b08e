"""The background-task helper: results on the GUI thread, one writer, stale results dropped."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from desktop_app import messages
from desktop_app.tasks import Progress, TaskRunner
from domain.errors import KnownError


def test_result_arrives_on_the_gui_thread(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, bool]] = []
    worker: list[str] = []

    def op(_p: Progress) -> int:
        worker.append(threading.current_thread().name)
        return 42

    runner.query(op, on_success=lambda r: seen.append((str(r), QThread.currentThread() is qtbot_thread())))
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [("42", True)]
    assert worker[0].startswith("bansos-read")


def qtbot_thread() -> QThread:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    return app.thread()


def test_writes_run_one_at_a_time_in_order(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    active = 0
    overlap = False
    order: list[int] = []
    threads: set[str] = set()
    lock = threading.Lock()

    def make(i: int):  # type: ignore[no-untyped-def]
        def op(_p: Progress) -> int:
            nonlocal active, overlap
            with lock:
                active += 1
                overlap = overlap or active > 1
            threads.add(threading.current_thread().name)
            time.sleep(0.01)
            order.append(i)
            with lock:
                active -= 1
            return i
        return op

    for i in range(8):
        runner.write(make(i))
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert order == list(range(8))
    assert not overlap and len(threads) == 1


def test_newer_task_with_same_key_drops_the_stale_result(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    got: list[str] = []
    gate = threading.Event()

    def slow(_p: Progress) -> str:
        gate.wait(2)
        return "old"

    runner.query(slow, on_success=got.append, key="search")
    runner.query(lambda _p: "new", on_success=got.append, key="search")
    qtbot.waitUntil(lambda: got == ["new"], timeout=3000)
    gate.set()
    qtbot.waitUntil(lambda: runner.idle, timeout=3000)
    assert got == ["new"]


def test_cancel_flag_stops_the_op_and_progress_is_polled(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    polled: list[tuple[str, int, int]] = []
    runner.progress_changed.connect(lambda label, v, m: polled.append((label, v, m)))
    done: list[object] = []

    def long(p: Progress) -> str:
        p.update(maximum=1000)
        for i in range(1000):
            p.check_cancel()
            p.update(value=i)
            time.sleep(0.002)
        return "finished"

    handle = runner.query(long, on_success=done.append, label="Mengimpor")
    qtbot.waitUntil(lambda: bool(polled), timeout=3000)
    handle.cancel()
    qtbot.waitUntil(lambda: runner.idle, timeout=3000)
    assert done == []
    assert polled[0][0] == "Mengimpor" and polled[0][2] == 1000


def test_expected_error_goes_to_the_message_bridge(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    messages.bridge().warning.connect(warnings.append)

    def op(_p: Progress) -> None:
        raise KnownError("Berkas impor baris 3: NIK harus 16 digit.")

    runner.query(op)
    qtbot.waitUntil(lambda: bool(warnings), timeout=3000)
    messages.bridge().warning.disconnect(warnings.append)
    assert warnings == ["Berkas impor baris 3: NIK harus 16 digit."]


def test_on_failure_receives_the_exception(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    failures: list[BaseException] = []

    def op(_p: Progress) -> None:
        raise KeyError("x")

    runner.write(op, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert isinstance(failures[0], KeyError)


def test_work_asked_after_shutdown_never_runs(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    ran: list[int] = []
    runner.shutdown()
    handle = runner.query(lambda _p: ran.append(1))  # e.g. a late periodic timer while closing
    qtbot.wait(50)
    assert ran == [] and handle.done and runner.idle


def test_a_borrowed_writer_serialises_with_writes_and_is_a_no_op_on_the_writer(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    """TaskRunner.hold_writer: the sync's write transactions take turns with the operator's saves."""
    order: list[str] = []
    inside, release = threading.Event(), threading.Event()

    def borrower() -> None:  # another thread (the sync on a reader) borrows the writer for one transaction
        with runner.hold_writer():
            order.append("held")
            inside.set()
            release.wait(5)
            order.append("released")

    t = threading.Thread(target=borrower)
    t.start()
    assert inside.wait(5)
    runner.write(lambda _p: order.append("save"))
    time.sleep(0.3)
    assert order == ["held"]  # the save waits while the writer is borrowed
    release.set()
    t.join(5)
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert order == ["held", "released", "save"]

    nested: list[str] = []

    def on_the_writer(_p: Progress) -> None:
        with runner.hold_writer():  # already on the writer: must not wait for itself
            nested.append(threading.current_thread().name)

    runner.write(on_the_writer)
    qtbot.waitUntil(lambda: bool(nested) and runner.idle, timeout=5000)
    assert nested[0].startswith("bansos-write")
