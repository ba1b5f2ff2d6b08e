"""Background work for the Qt app (design.md §6), modelled on Anki's QueryOp/CollectionOp.

- `TaskRunner.query(op)` runs a read on a small pool of reader threads.
- `TaskRunner.write(op)` runs a write on ONE writer thread, so writes are serialised in the order
  they were asked for. Each op opens its own session (the services do), none is shared.
- An op is `op(progress) -> result`. The result (or the error) is delivered on the GUI thread
  through a queued signal: `on_success(result)` / `on_failure(exc)`.
- Expected errors (messages.user_message(exc) is not None) go to the message bridge as a warning
  unless `on_failure` handles them; anything else is a bug: logged with its traceback and shown as
  a short Indonesian dialog that names the log file (logging_setup.report_unexpected).
- `Progress` is a small object the worker updates; a QTimer in the GUI thread polls it and emits
  `progress_changed`. Cancelling sets a flag the op checks with `progress.check_cancel()`.
- `key`: a newer task with the same key supersedes the older one, whose result is dropped
  (stale search results never overwrite fresh ones).
- `TaskGroup`: one screen's tasks with the common busy state and "failed — retry" behaviour.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from desktop_app import messages
from domain.errors import KnownError

log = logging.getLogger(__name__)
T = TypeVar("T")


class Cancelled(KnownError):
    """Raised inside an op by `progress.check_cancel()` once cancel was asked for.

    Expected and quiet: the runner drops a cancelled task without any message (see `_work`)."""

    @classmethod
    def default_message(cls) -> str:
        return "Dibatalkan."


@dataclass(frozen=True, slots=True)
class ProgressSnapshot:
    label: str
    value: int
    maximum: int  # 0: unknown length (busy indicator)


class Progress:
    """Written by the worker, read by the GUI timer; a lock keeps the three fields consistent."""

    def __init__(self, label: str = "") -> None:
        self._lock = threading.Lock()
        self._label = label
        self._value = 0
        self._maximum = 0
        self._cancel = threading.Event()

    def update(self, *, label: str | None = None, value: int | None = None, maximum: int | None = None) -> None:
        with self._lock:
            if label is not None:
                self._label = label
            if value is not None:
                self._value = value
            if maximum is not None:
                self._maximum = maximum

    def snapshot(self) -> ProgressSnapshot:
        with self._lock:
            return ProgressSnapshot(self._label, self._value, self._maximum)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


@dataclass(slots=True)
class TaskHandle(Generic[T]):
    op: Callable[[Progress], T]
    on_success: Callable[[T], None] | None
    on_failure: Callable[[BaseException], None] | None
    key: str | None
    generation: int
    progress: Progress = field(default_factory=Progress)
    done: bool = False

    def cancel(self) -> None:
        self.progress.cancel()


_WRITER_PREFIX = "bansos-write"


class TaskRunner(QObject):
    """One per application; lives in the GUI thread."""

    progress_changed = Signal(str, int, int)  # label, value, maximum (0 = busy indicator)
    busy_changed = Signal(bool)
    _wake = Signal()  # "there are results in the inbox" (queued to the GUI thread)

    POLL_MS = 100

    def __init__(self, parent: QObject | None = None, *, readers: int = 2) -> None:
        super().__init__(parent)
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="bansos-read")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix=_WRITER_PREFIX)
        # Results travel through a plain thread-safe queue and a no-argument queued signal, not as
        # Python objects inside a signal: nothing but a wake-up crosses Qt's thread boundary.
        self._inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._running: list[TaskHandle[Any]] = []
        self._latest: dict[str, int] = {}
        self._generation = 0
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._poll)

    # -- public API
    def query(
        self,
        op: Callable[[Progress], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        key: str | None = None,
        label: str = "",
    ) -> TaskHandle[T]:
        """Run a read off the GUI thread."""
        return self._submit(self._readers, op, on_success, on_failure, key, label)

    def write(
        self,
        op: Callable[[Progress], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        key: str | None = None,
        label: str = "",
    ) -> TaskHandle[T]:
        """Run a write on the single writer thread (writes never overlap)."""
        return self._submit(self._writer, op, on_success, on_failure, key, label)

    @contextlib.contextmanager
    def hold_writer(self) -> Iterator[None]:
        """Borrow the single writer for one transaction run on another thread (the sync's network
        waits stay off the writer; its database writes still never overlap the operator's saves).

        The writer runs a placeholder job that waits until the caller's block ends; on the writer
        thread itself this is a no-op.
        """
        if threading.current_thread().name.startswith(_WRITER_PREFIX):
            yield
            return
        started, finished = threading.Event(), threading.Event()

        def placeholder() -> None:
            started.set()
            finished.wait()

        held = self._writer.submit(placeholder)
        started.wait()
        try:
            yield
        finally:
            finished.set()
            held.result()

    @property
    def idle(self) -> bool:
        return not self._running

    def cancel_all(self) -> None:
        for t in self._running:
            t.cancel()

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking work; by default let queued writes finish (what the operator saved stays saved)."""
        self._closed = True
        self._timer.stop()
        for t in self._running:
            if t.key is not None:  # superseded-able reads can be dropped
                t.cancel()
        self._readers.shutdown(wait=wait, cancel_futures=True)
        self._writer.shutdown(wait=wait)

    # -- internals
    def _submit(
        self,
        pool: ThreadPoolExecutor,
        op: Callable[[Progress], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        key: str | None,
        label: str,
    ) -> TaskHandle[T]:
        self._generation += 1
        handle: TaskHandle[T] = TaskHandle(op, on_success, on_failure, key, self._generation, Progress(label))
        if self._closed:
            # The app is closing; a late timer (periodic sync, debounce) asking for work gets nothing.
            log.info("task submitted after shutdown ignored")
            handle.cancel()
            handle.done = True
            return handle
        if key is not None:
            for older in self._running:
                if older.key == key:
                    older.cancel()
            self._latest[key] = handle.generation
        was_idle = not self._running
        self._running.append(handle)
        if was_idle:
            self.busy_changed.emit(True)
        if label and not self._timer.isActive():
            self._timer.start()
        pool.submit(self._work, handle)
        return handle

    def _work(self, handle: TaskHandle[Any]) -> None:
        # Worker thread: never touch widgets here, only hand a closure to the GUI thread.
        try:
            handle.progress.check_cancel()
            result = handle.op(handle.progress)
        except Cancelled:
            self._post(lambda: self._finish(handle, None, None, cancelled=True))
        except BaseException as exc:
            if messages.user_message(exc) is None and handle.on_failure is None:
                log.error("background task failed", exc_info=exc)
            self._post(functools.partial(self._finish, handle, None, exc))
        else:
            self._post(lambda: self._finish(handle, result, None))

    def _post(self, fn: Callable[[], None]) -> None:
        self._inbox.put(fn)
        self._wake.emit()

    def _drain(self) -> None:
        while True:
            try:
                fn = self._inbox.get_nowait()
            except queue.Empty:
                return
            fn()

    def _finish(self, handle: TaskHandle[Any], result: Any, exc: BaseException | None, *, cancelled: bool = False) -> None:
        handle.done = True
        if handle in self._running:
            self._running.remove(handle)
        if not self._running:
            self._timer.stop()
            self.busy_changed.emit(False)
        stale = handle.key is not None and self._latest.get(handle.key) != handle.generation
        if cancelled or stale or handle.progress.cancelled:
            return
        if exc is None:
            if handle.on_success is not None:
                handle.on_success(result)
            return
        if handle.on_failure is not None:
            handle.on_failure(exc)
            return
        text = messages.user_message(exc)
        if text is not None:
            messages.warning(text)
        else:
            from desktop_app.logging_setup import report_unexpected

            report_unexpected(exc, already_logged=True)

    def _poll(self) -> None:
        labelled = [t for t in self._running if t.progress.snapshot().label]
        if not labelled:
            return
        snap = labelled[-1].progress.snapshot()
        self.progress_changed.emit(snap.label, snap.value, snap.maximum)


class TaskGroup(QObject):
    """One screen's tasks on the shared runner, with the same "failed — retry" behaviour on every screen.

    `run(label, op, on_success)` runs `op` as a query (or `write=True`: on the writer thread). While
    tasks run, `busy` is True (`busy_changed`); a task announces itself with `started(label)` unless
    `quiet` (a background refresh must not hide a decision's outcome in the status line). A failure
    emits `failed("<label> gagal. <text>")` — the KnownError's Indonesian text, or for a bug (logged,
    reported with the log's path) a sentence saying so — and is kept for `retry()`, which repeats
    everything that failed since its last success (`retry_changed(bool)` says whether there is any).
    A failed write also goes to the message bridge as a warning: what did not go through deserves a
    dialog. With `on_failure` the failure is the caller's (a panel that says it in itself): it gets the
    text, nothing else is shown and nothing is kept for retry.
    """

    started = Signal(str)
    failed = Signal(str)
    retry_changed = Signal(bool)
    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._failed: dict[str, Callable[[], None]] = {}  # label -> how to repeat it
        self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    @property
    def can_retry(self) -> bool:
        return bool(self._failed)

    def run(self, label: str, op: Callable[[Progress], T], on_success: Callable[[T], None], *,
            write: bool = False, key: str | None = None, on_failure: Callable[[str], None] | None = None,
            quiet: bool = False) -> None:
        def again() -> None:
            self.run(label, op, on_success, write=write, key=key, on_failure=on_failure)

        def ok(result: T) -> None:
            self._done()
            if self._failed.pop(label, None) is not None:
                self.retry_changed.emit(self.can_retry)
            on_success(result)

        def failed(exc: BaseException) -> None:
            self._done()
            text = self._text_of(label, exc)
            if on_failure is not None:
                on_failure(text)
                return
            self._failed[label] = again
            self.retry_changed.emit(True)
            self.failed.emit(f"{label} gagal. {text}")
            if write:
                messages.warning(f"{label} gagal. {text}")

        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if not (quiet or on_failure is not None):
            self.started.emit(label)
        submit = self.runner.write if write else self.runner.query
        try:
            submit(op, on_success=ok, on_failure=failed, key=key, label=label)
        except RuntimeError:  # the application is shutting down: nothing more to run
            self._done()
            log.info("%s not started, the task runner is shut down", label)

    def retry(self) -> None:
        """Repeat everything that failed since its last success (e.g. the inbox, groups and dashboard)."""
        pending, self._failed = list(self._failed.values()), {}
        self.retry_changed.emit(False)
        for fn in pending:
            fn()

    def _done(self) -> None:
        self._pending = max(0, self._pending - 1)
        if not self._pending:
            self.busy_changed.emit(False)

    @staticmethod
    def _text_of(label: str, exc: BaseException) -> str:
        from domain.errors import user_message

        text = user_message(exc)  # a KnownError's Indonesian text; None: a bug
        if text is not None:
            return text
        log.error("%s failed", label, exc_info=exc)
        from desktop_app.logging_setup import report_unexpected

        report_unexpected(exc, already_logged=True)
        return "Terjadi kesalahan program (lihat log)."
