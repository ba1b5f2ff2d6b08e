"""The server's own tables, apart from the desktop app's.

SQLModel keeps one process-wide `SQLModel.metadata`; when the desktop app's local_db models are
imported in the same process (the test suite, tools), it also holds `entry`, `outbox`, ... .
Migrations, `create_all` and schema comparisons must see the server's `srv_*` tables only.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from server import models as _models  # noqa: F401  (registers the tables)

PREFIX = "srv_"


def server_metadata() -> MetaData:
    md = MetaData()
    for name, table in SQLModel.metadata.tables.items():
        if name.startswith(PREFIX):
            table.to_metadata(md)
    return md
