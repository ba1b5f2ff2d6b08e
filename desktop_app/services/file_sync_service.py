"""Sync by file for the GUI (ui may not import sync): send pending batches to a file, read a reply."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from sync import file_sync
from sync.report import SyncReport


class FileSyncService:
    def __init__(self, engine: Engine, *, actor: str = "") -> None:
        self.engine = engine
        self.actor = actor

    def export(self, path: Path) -> file_sync.ExportResult:
        return file_sync.export_file(self.engine, path, actor=self.actor)

    def read_reply(self, path: Path) -> SyncReport:
        return file_sync.read_reply(self.engine, path, actor=self.actor)
