"""Placeholder: the server issue fills this in."""

from __future__ import annotations


def main() -> int:
    print("bansos-server belum tersedia.")
    return 1
