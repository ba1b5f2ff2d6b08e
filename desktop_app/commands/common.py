"""Helpers shared by the headless commands: open the store, print Indonesian errors, exit codes."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from typing import Any

from desktop_app import logging_setup, paths, store_key
from desktop_app.context import AppContext
from domain.errors import KnownError
from domain.issues import Issue
from domain.payload_parse import LABELS as RECORD_LABELS

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1  # something to report (invalid NIK, rejected rows, store problem)
EXIT_REJECTED = 2  # the input was refused (invalid field, blocking duplicate)

# CLI option for each household/member/proposal field, so a message can point at what to retype.
FIELD_OPTIONS: dict[str, str] = {
    "nik": "--nik", "temp_id": "--nik", "kk": "--kk", "name": "--name", "birth_date": "--birth-date", "sex": "--sex",
    "desa_code": "--desa", "programme": "--programme", "address": "--address", "dusun": "--dusun", "rt": "--rt",
    "rw": "--rw", "phone": "--phone", "criteria": "--criteria", "birth_place": "--birth-place", "notes": "--notes",
    "override_reason": "--override-reason", "relation": "--relation", "type": "--type", "removal_reason": "--reason",
    "note": "--note", "household_id": "--kk", "member_id": "--nik", "pengurus_id": "--nik",
    "delete_reason": "--reason", "record_id": "RECORD_ID",
}
FIELD_LABELS: dict[str, str] = {**RECORD_LABELS, "override_reason": "Alasan", "delete_reason": "Alasan penghapusan",
                                "record_id": "Record id", "household_id": "Keluarga", "member_id": "Anggota"}


class CommandError(KnownError):
    """Stop the command with this Indonesian message and exit code."""

    def __init__(self, message: str = "", code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code

    @classmethod
    def default_message(cls) -> str:
        return "Perintah tidak bisa dijalankan."


def cli_passphrase(new: bool) -> str | None:
    """The store passphrase where no keyring works: BANSOS_STORE_PASSPHRASE, else asked on the terminal."""
    env = store_key.env_passphrase(new)
    if env or not sys.stdin or not sys.stdin.isatty():
        return env
    try:
        if not new:
            return getpass.getpass("Kata sandi basis data: ")
        first = getpass.getpass(f"Buat kata sandi basis data (minimal {store_key.MIN_PASSPHRASE} karakter): ")
        if getpass.getpass("Ulangi kata sandi: ") != first:
            raise CommandError("Kedua kata sandi tidak sama; ulangi.")
        return first
    except EOFError:
        return None


def show_recovery_code(code: str | None) -> None:
    """Print a just-made recovery key once, for the IT officer's sheet (stderr: never in a piped output)."""
    if code:
        err("KUNCI PEMULIHAN basis data (catat dan simpan di tempat aman; hanya ditampilkan sekali):")
        err(f"    {code}")
        err("Dengan kunci ini petugas IT bisa membuka data di komputer lain (bansos buka-kunci).")


def open_context(args: argparse.Namespace) -> AppContext:
    data_dir = paths.resolve_data_dir(getattr(args, "data_dir", None))
    try:
        # Log lines go to the data dir's log file, not (in English) onto the operator's terminal.
        logging_setup.setup_logging(data_dir)
    except OSError:
        pass  # an unwritable data dir is reported by AppContext.open just below
    ctx = AppContext.open(data_dir, passphrase=cli_passphrase)  # a StoreError reaches run_guarded: its message
    show_recovery_code(ctx.new_recovery_code)
    return ctx


def issue_line(issue: Issue) -> str:
    """'Tanggal lahir (--birth-date): ...' — names the field and the option to fix."""
    label = FIELD_LABELS.get(issue.field, issue.field)
    opt = FIELD_OPTIONS.get(issue.field)
    where = f"{label} ({opt})" if opt else label
    message = issue.message
    for prefix in {label, RECORD_LABELS.get(issue.field, "")} - {""}:
        if message.startswith(f"{prefix}: "):  # the store's messages start with their field's label
            message = message[len(prefix) + 2:]
    return f"{where}: {message}"


def err(text: str) -> None:
    print(text, file=sys.stderr)


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def run_guarded(func: Any, args: argparse.Namespace) -> int:
    """Run a command body; expected errors become a message and an exit code, never a traceback.

    Expected or bug is decided by type alone: a KnownError (domain/errors.py) prints its Indonesian
    message; anything else is logged with its traceback and named as unexpected, with the log's path.
    """
    try:
        return int(func(args))
    except KnownError as exc:
        err(exc.message)
        return exc.code if isinstance(exc, CommandError) else EXIT_FAILED
    except KeyboardInterrupt:
        err("Dibatalkan.")
        return 130
    except Exception as exc:  # a bug: log it whole, show the operator one line
        where = _log_file(args)
        log.exception("command %s failed", getattr(args, "command", "?"))
        err(f"Terjadi kesalahan tak terduga ({type(exc).__name__}). Rinciannya tercatat di {where}; "
            "hubungi petugas IT.")
        return EXIT_FAILED


def _log_file(args: argparse.Namespace) -> str:
    """The log file a bug's traceback goes to; set up now when the command never opened its store."""
    path = logging_setup.log_path()
    if path is None:
        try:
            path = logging_setup.setup_logging(paths.resolve_data_dir(getattr(args, "data_dir", None)))
        except OSError:
            return "log (folder data tidak bisa ditulisi)"
    return str(path)
