"""The entry list's use cases for the GUI: each call opens its own connection (thread-safe).

A thin layer over local_db.list_query so that ui/ never talks SQL nor imports local_db.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from local_db import list_query
from local_db.list_query import ListCounts, ListFilter, ListRow

__all__ = ["EntryListService", "ListCounts", "ListFilter", "ListRow"]


class EntryListService:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search_ids(self, flt: ListFilter, *, limit: int | None = None) -> list[str]:
        return list_query.search_ids(self.engine, flt, limit=limit)

    def fetch_rows(self, ids: Sequence[str]) -> dict[str, ListRow]:
        return list_query.fetch_rows(self.engine, ids)

    def counts(self) -> ListCounts:
        return list_query.counts(self.engine)

    def dusuns(self) -> list[str]:
        return list_query.dusuns(self.engine)
