"""`bansos` entry point: the GUI with no subcommand, headless commands otherwise.

Each subcommand lives in its own module under desktop_app/commands and exposes
`register(subparsers)`, which adds a parser whose `func(args) -> int` runs it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Explicit list (not discovery) so the frozen app bundles every command.
COMMAND_MODULES: tuple[str, ...] = (
    "desktop_app.commands.check_nik",
    "desktop_app.commands.entries",  # add, list, duplicates
    "desktop_app.commands.import_csv",
    "desktop_app.commands.gui",
    "desktop_app.commands.account",  # login, logout
    "desktop_app.commands.sync_cmd",  # sync, status
    "desktop_app.commands.maintenance",  # backup, restore, doctor, provision
    "desktop_app.commands.print_cmd",  # print (PDF documents)
)


def build_parser() -> argparse.ArgumentParser:
    from desktop_app.build_info import version_text

    parser = argparse.ArgumentParser(prog="bansos", description="Bansos Desa: pendataan calon penerima bansos.")
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument("--data-dir", default=None, help="folder data lokal (bawaan: folder data pengguna OS)")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
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
