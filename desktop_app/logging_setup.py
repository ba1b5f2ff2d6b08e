"""The log file and the last line of defence against tracebacks reaching the operator.

`setup_logging(data_dir)` writes to <data_dir>/logs/bansos.log (rotated). `install_excepthook()`
routes any uncaught exception (GUI thread or worker thread) to `report_unexpected`, which logs
the traceback and asks the UI's error presenter to show a short Indonesian dialog naming the log
file. Logs carry record ids, never NIK or names (UU PDP).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("bansos")
LOG_NAME = "bansos.log"
_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

_log_path: Path | None = None
_presenter: Callable[[str], None] | None = None
_handler: logging.Handler | None = None


def setup_logging(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Log to <data_dir>/logs/bansos.log; returns the file's path. Safe to call again."""
    global _log_path, _handler
    logs = Path(data_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / LOG_NAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    _handler, _log_path = handler, path
    return path


def log_path() -> Path | None:
    return _log_path


def set_error_presenter(presenter: Callable[[str], None] | None) -> None:
    """The UI registers a function that shows the error dialog; it receives the log path text."""
    global _presenter
    _presenter = presenter


def report_unexpected(exc: BaseException, *, already_logged: bool = False) -> None:
    """A bug reached the top: log it with its traceback, tell the operator briefly where the log is."""
    if not already_logged:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    where = str(_log_path) if _log_path else "(log belum dibuat)"
    if _presenter is not None:
        try:
            _presenter(where)
            return
        except Exception:  # the presenter itself failed: fall back to stderr, never loop
            log.exception("error presenter failed")
    sys.stderr.write(f"Terjadi kesalahan yang tidak terduga. Rincian dicatat di: {where}\n")


def _excepthook(etype: type[BaseException], value: BaseException, tb: types.TracebackType | None) -> None:
    if issubclass(etype, KeyboardInterrupt):
        sys.__excepthook__(etype, value, tb)
        return
    log.error("uncaught exception", exc_info=(etype, value, tb))
    report_unexpected(value, already_logged=True)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    log.error("uncaught exception in thread %s", getattr(args.thread, "name", "?"),
              exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    report_unexpected(args.exc_value, already_logged=True)


def install_excepthook() -> None:
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook
