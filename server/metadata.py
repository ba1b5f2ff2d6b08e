"""The server's own tables, apart from the desktop app's.

SQLModel keeps one process-wide `SQLModel.metadata`; when the desktop app's local_db models are
imported in the same process (the test suite, tools), it also holds `entry`, `outbox`, ... .
Migrations, `create_all` and schema comparisons must see the server's `srv_*` tables only.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from server import models as _models  # noqa: F401  (registers the tables)
from server.public import models as _public_models  # noqa: F401  (the public side's tables)

PREFIX = "srv_"
# PostgreSQL partitions of the big tables (migration 0004): srv_entry_p19, srv_entry_pdefault, ...
_PARTITION = re.compile(r"^srv_\w+_p(\d{2}|default)$")


def is_partition(name: str | None) -> bool:
    return bool(name and _PARTITION.match(name))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Autogenerate/compare filter: partitions are made by the migration, not by the models."""
    if type_ == "table":
        return not is_partition(name)
    if type_ == "index":
        return not is_partition(parent_names.get("table_name"))
    return True


def server_metadata() -> MetaData:
    md = MetaData()
    for name, table in SQLModel.metadata.tables.items():
        if name.startswith(PREFIX):
            table.to_metadata(md)
    return md
