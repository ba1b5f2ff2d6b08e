"""Placeholder: filled in by the issue that owns this command."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    del sub


def run_gui(args: argparse.Namespace) -> int:
    print("GUI belum tersedia.")
    return 1
