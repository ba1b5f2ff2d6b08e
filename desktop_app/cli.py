"""`bansos` entry point: the GUI with no subcommand, headless commands otherwise.

Each subcommand lives in its own module under desktop_app/commands and exposes
`register(subparsers)`, which adds a parser whose `func(args) -> int` runs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from desktop_app.commands import (
    account,
    check_nik,
    gui,
    import_csv,
    listing,
    maintenance,
    print_cmd,
    records,
    sync_cmd,
)

# Imported explicitly (not discovered): the frozen app bundles every command, and an import error
# fails loudly instead of hiding a command.
COMMANDS: tuple[ModuleType, ...] = (
    check_nik,
    records,  # add, propose, delete, move, config
    listing,  # list, duplicates
    import_csv,  # import, export
    gui,
    account,  # login, logout
    sync_cmd,  # sync, status
    maintenance,  # backup, restore, doctor, provision
    print_cmd,  # print (PDF documents)
)


def build_parser() -> argparse.ArgumentParser:
    from desktop_app.build_info import version_text

    parser = argparse.ArgumentParser(prog="bansos", description="Bansos Desa: pendataan calon penerima bansos.")
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument("--data-dir", default=None, help="folder data lokal (bawaan: folder data pengguna OS)")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        from desktop_app.commands.gui import run_gui

        return run_gui(args)
    func = args.func
    return int(func(args))


if __name__ == "__main__":
    sys.exit(main())
