"""One error model (design.md §2): every expected error reaches the user as its Indonesian text.

Each KnownError subclass of the app, found by walking `KnownError.__subclasses__()` after importing
every module (a new type is covered without touching this file), is raised through the two places
that decide "expected or bug" by type alone:
- the GUI: a background task of the real TaskRunner with no failure handler of its own, the message
  bridge and the dialogs of ui.error_dialog, as the running app wires them;
- the CLI: `run_guarded`, the guard around every headless command.
A bug (a plain exception) still gets the unexpected-error dialog naming the log file / the
unexpected-error line with the log's path and exit code 1.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import logging_setup, messages
from desktop_app.commands.common import EXIT_FAILED, EXIT_REJECTED, CommandError, run_guarded
from desktop_app.services import households
from desktop_app.services.entries import EntryRejected, OverrideRequired
from desktop_app.tasks import Cancelled, Progress, TaskRunner
from domain.errors import KnownError
from domain.issues import error
from domain.sealed_file import Refusal, SealedFileRefused
from local_db.member_duplicates import DuplicateHit
from server.public.reports import ReportRefused
from server.public.status import StatusInputError
from server.services.ingest import BatchRejected
from sync.client import Rejected, ServerError

APP_PACKAGES = ("domain", "local_db", "sync", "desktop_app", "server", "ui")
SKIP_MODULES = ("server.migrations",)  # alembic scripts: they run only inside alembic
UNEXPECTED = ("tak terduga", "tidak terduga", "unexpected")
E = TypeVar("E", bound=BaseException)

# Exception classes of the app that are not (yet) KnownErrors, with the reason. Anything else that
# derives from Exception must be a KnownError: a new error type cannot silently become a "bug".
NOT_KNOWN_ERRORS: dict[str, str] = {
}


def _import_app() -> None:
    for pkg in APP_PACKAGES:
        module = importlib.import_module(pkg)
        for info in pkgutil.walk_packages(module.__path__, f"{pkg}."):
            if not info.name.startswith(SKIP_MODULES):
                importlib.import_module(info.name)


def _subclasses(cls: type[E]) -> Iterator[type[E]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _is_app(cls: type) -> bool:
    return cls.__module__.split(".")[0] in APP_PACKAGES


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


_import_app()
KNOWN_TYPES: list[type[KnownError]] = sorted(
    {c for c in _subclasses(KnownError) if _is_app(c)} | {KnownError}, key=_name)

# Types whose constructor needs more than a message: one realistic instance each (a 403 and a 422
# for Rejected, whose texts differ). Every other type is built with its own default message.
_HIT = DuplicateHit("probable_person", "r-1", "Siti Aminah", "3201014101900001", "PKH", "3201012001", 0.92, False,
                    "Mungkin orang yang sama dengan Siti Aminah (NIK 3201********0001), skor 0,92.")
EXAMPLES: dict[type[KnownError], list[Callable[[], KnownError]]] = {
    Rejected: [lambda: Rejected(403, "Record r-1 milik desa lain; batch tidak diterapkan."),
               lambda: Rejected(422, "Idempotency-Key ini sudah dipakai untuk batch dengan isi lain.")],
    ServerError: [lambda: ServerError("kode 503.", 503)],
    EntryRejected: [lambda: EntryRejected([error("nik", "length", "NIK harus 16 digit (sekarang 15).")])],
    OverrideRequired: [lambda: OverrideRequired([_HIT])],
    ReportRefused: [lambda: ReportRefused({"nik": "NIK harus 16 digit."})],
    StatusInputError: [lambda: StatusInputError({"kk": "Nomor KK harus 16 digit."})],
    households.OverrideRequired: [lambda: households.OverrideRequired([_HIT])],
    households.MemberRefused: [lambda: households.MemberRefused([error("nik", "length", "NIK harus 16 digit.")])],
    households.HouseholdRefused: [lambda: households.HouseholdRefused([error("kk", "length", "KK harus 16 digit.")])],
    BatchRejected: [lambda: BatchRejected(413, "Batch berisi 20000 op; paling banyak 10000.")],
    CommandError: [lambda: CommandError("Kode desa (--desa) wajib diisi.", EXIT_REJECTED)],
    SealedFileRefused: [lambda r=reason: SealedFileRefused(r) for reason in Refusal],
}
QUIET = {Cancelled}  # a cancelled task ends without a word: the operator asked for it


def instances() -> list[KnownError]:
    out: list[KnownError] = []
    for cls in KNOWN_TYPES:
        if cls in EXAMPLES:
            out += [make() for make in EXAMPLES[cls]]
            continue
        try:
            out.append(cls())
        except TypeError as e:  # pragma: no cover - only when a new type needs arguments
            raise AssertionError(f"{_name(cls)} needs constructor arguments: add an example to EXAMPLES") from e
    return out


CASES = instances()


def _id(exc: KnownError) -> str:
    status = getattr(exc, "status", None)
    return type(exc).__qualname__ + (f"-{status}" if status else "")


def test_every_expected_error_type_of_the_app_is_found() -> None:
    names = {_name(c) for c in KNOWN_TYPES}
    # A sample from every layer: the walk reaches each package (a broken walk would find none).
    for expected in ("domain.programmes.UnknownProgramme", "local_db.errors.StoreError",
                     "local_db.engine.StoreDamaged", "local_db.repository.StoreBusy",
                     "local_db.migrations.MigrationFailed", "sync.client.Offline", "sync.client.CertificateError",
                     "sync.client.DeviceRejected", "sync.conflicts.ConflictError",
                     "desktop_app.services.sync_service.NotConfigured", "desktop_app.context.ConfigError",
                     "desktop_app.provisioning.ProvisioningError", "desktop_app.backup.BackupError",
                     "desktop_app.services.csv_import.ImportFileError", "desktop_app.tasks.Cancelled",
                     "server.services.users.UserError", "server.services.provision.ProvisionError",
                     "server.settings.UnsafeSettings", "server.services.ingest.BatchRejected"):
        assert expected in names


def test_every_exception_class_of_the_app_is_a_known_error() -> None:
    others = sorted(_name(c) for c in _subclasses(Exception)
                    if _is_app(c) and not issubclass(c, KnownError) and _name(c) not in NOT_KNOWN_ERRORS)
    assert others == [], "expected errors derive from domain.errors.KnownError (design.md §2)"


@pytest.mark.parametrize("exc", CASES, ids=_id)
def test_each_expected_error_carries_its_own_indonesian_text(exc: KnownError) -> None:
    assert exc.message and str(exc) == exc.message
    assert messages.user_message(exc) == exc.message
    if type(exc) is not KnownError:
        assert exc.message != KnownError.default_message(), f"{_name(type(exc))} has no text of its own"
    assert not any(word in exc.message.lower() for word in UNEXPECTED)


# ---- the GUI: TaskRunner -> message bridge -> dialog


@pytest.fixture
def gui(qapp_id: QApplication, tmp_path: Path) -> Iterator[tuple[TaskRunner, Path, list[str]]]:
    """The running app's wiring: log file, error presenter (dialogs), a TaskRunner; records crashes."""
    from ui.error_dialog import install_error_presenter, uninstall_error_presenter

    log_file = logging_setup.setup_logging(tmp_path / "data")
    install_error_presenter()
    crashes: list[str] = []
    messages.bridge().crashed.connect(crashes.append)
    runner = TaskRunner()
    yield runner, log_file, crashes
    runner.shutdown(wait=True)
    messages.bridge().crashed.disconnect(crashes.append)
    uninstall_error_presenter()


@pytest.fixture
def qapp_id(qapp: QApplication) -> QApplication:
    """The QApplication in Indonesian, as the operator runs it."""
    from ui.app import install_translator

    assert install_translator(qapp)
    return qapp


def _capture_dialog(seen: list[tuple[str, str, str]]) -> None:
    """Read and close the next modal message box (name, title, text)."""
    def grab() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, grab)
            return
        seen.append((box.objectName(), box.windowTitle(), box.text()))
        box.accept()

    QTimer.singleShot(10, grab)


def _raise(exc: BaseException) -> Callable[[Progress], None]:
    def op(_p: Progress) -> None:
        raise exc
    return op


def test_expected_errors_reach_the_user_through_the_gui_bridge_as_their_text(
        qtbot: Any, gui: tuple[TaskRunner, Path, list[str]]) -> None:
    runner, _log, crashes = gui
    warnings: list[str] = []
    messages.bridge().warning.connect(warnings.append)
    try:
        for i, exc in enumerate(c for c in CASES if type(c) not in QUIET):
            seen: list[tuple[str, str, str]] = []
            _capture_dialog(seen)
            (runner.write if i % 2 else runner.query)(_raise(exc))  # both pools end in the same place
            qtbot.waitUntil(functools.partial(bool, seen), timeout=5000)
            name, title, text = seen[0]
            assert (name, text) == ("warningMessageDialog", exc.message), _id(exc)
            assert title == "Perhatian"
            assert not any(word in f"{title} {text}".lower() for word in UNEXPECTED), _id(exc)
            assert warnings[-1] == exc.message
        qtbot.waitUntil(lambda: runner.idle, timeout=3000)
    finally:
        messages.bridge().warning.disconnect(warnings.append)
    assert crashes == []  # not one of them was taken for a bug


def test_a_cancelled_task_ends_quietly(qtbot: Any, gui: tuple[TaskRunner, Path, list[str]]) -> None:
    runner, _log, crashes = gui
    before = list(messages.bridge().history)
    finished: list[object] = []
    for cls in QUIET:
        runner.query(_raise(cls()), on_success=finished.append)
    qtbot.waitUntil(lambda: runner.idle, timeout=3000)
    qtbot.wait(50)  # a message would be queued to the GUI thread; give it the chance
    assert messages.bridge().history == before and crashes == [] and finished == []
    assert QApplication.activeModalWidget() is None


def test_a_bug_in_a_task_still_shows_the_error_dialog_with_the_log_path(
        qtbot: Any, gui: tuple[TaskRunner, Path, list[str]]) -> None:
    runner, log_file, crashes = gui
    seen: list[tuple[str, str, str]] = []
    _capture_dialog(seen)
    runner.query(_raise(KeyError("record_id")))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    name, title, text = seen[0]
    assert name == "unexpectedErrorDialog" and title == "Kesalahan tak terduga"
    assert str(log_file) in text and "KeyError" not in text and "Traceback" not in text
    assert crashes == [str(log_file)]
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'record_id'" in logged


# ---- the CLI: run_guarded


def _args(tmp_path: Path) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(tmp_path / "data"), command="contoh")


@pytest.mark.parametrize("exc", CASES, ids=_id)
def test_expected_errors_reach_the_user_through_the_cli_guard_as_their_text(
        exc: KnownError, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def body(_args: argparse.Namespace) -> int:
        raise exc

    code = run_guarded(body, _args(tmp_path))
    out = capsys.readouterr()
    assert out.err == exc.message + "\n" and out.out == ""
    assert code == (exc.code if isinstance(exc, CommandError) else EXIT_FAILED)
    assert not any(word in out.err.lower() for word in UNEXPECTED)


def test_a_bug_in_a_command_names_the_log_file_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging_setup, "_log_path", None)  # the command failed before opening its store

    def body(_args: argparse.Namespace) -> int:
        ids: dict[str, int] = {}
        return ids["record_id"]

    code = run_guarded(body, _args(tmp_path))
    out = capsys.readouterr()
    log_file = tmp_path / "data" / "logs" / logging_setup.LOG_NAME
    assert code == EXIT_FAILED == 1
    assert out.err.startswith("Terjadi kesalahan tak terduga (KeyError).")
    assert str(log_file) in out.err and "Traceback" not in out.err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'record_id'" in logged
