"""PostgreSQL for server tests: a fresh schema per use on 127.0.0.1:5432/test, or a clear skip."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

BASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3):
            return None
    except Exception as e:  # any failure means: skip, and say why
        return f"PostgreSQL at 127.0.0.1:5432/test not reachable: {type(e).__name__}: {e}".strip()


def skip_unless_reachable() -> None:
    reason = reachable()
    if reason:
        pytest.skip(reason)


@contextmanager
def fresh_schema_url() -> Iterator[str]:
    """A database URL whose search_path is a new, empty schema; the schema is dropped afterwards."""
    import psycopg

    skip_unless_reachable()
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{BASE_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as c:
            drop_schema(c, schema)


def drop_schema(conn: Any, schema: str) -> None:
    """Drop a test schema partition by partition, each in its own transaction (`conn` is autocommit):
    one DROP SCHEMA ... CASCADE over every province partition of every table takes more locks than
    PostgreSQL's default max_locks_per_transaction allows ("out of shared memory")."""
    parts = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relispartition AND c.relkind IN ('r', 'p')", (schema,)).fetchall()
    for (name,) in parts:
        conn.execute(f'DROP TABLE IF EXISTS "{schema}"."{name}" CASCADE')
    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
