"""Encrypting a plain store in place: verified before the swap, the plain file gone after it, and a
crash or a failed check at any point leaves one whole store under the store's name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local_db import cipher
from tests.support.people import people
from tests.support.store import TEST_KEY, raw, service, store


def plain_store(path: Path, n: int = 3) -> list[str]:
    with store(path, key=None) as engine:
        svc = service(engine)
        rows = list(people(n, seed=5))
        for row in rows:
            svc.save(row)
        return [row["nik"] for row in rows]


def niks(path: Path, key: bytes | None) -> list[str]:
    conn = raw(path, key)
    try:
        return sorted(r[0] for r in conn.execute("SELECT nik FROM entry"))
    finally:
        conn.close()


def test_encrypt_in_place_keeps_every_row_and_leaves_no_plain_file(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    wanted = plain_store(db)
    assert cipher.is_plain(db)
    counts = cipher.encrypt_in_place(db, TEST_KEY)
    assert counts["entry"] == 3 and counts["outbox"] == 3 and counts["auditlog"] == 3
    assert cipher.is_encrypted(db) and not cipher.is_plain(db)
    assert niks(db, TEST_KEY) == sorted(wanted)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("s.sqlite3")) == ["s.sqlite3"]
    assert not [n for n in wanted if n.encode() in db.read_bytes()]
    # The schema version travels too (sqlcipher_export alone would drop it).
    conn = raw(db, TEST_KEY)
    assert conn.execute("PRAGMA user_version").fetchone()[0] > 0
    conn.close()


def test_a_failed_check_leaves_the_plain_store_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.sqlite3"
    wanted = plain_store(db)
    real = cipher._counts
    calls = iter(range(2))

    def lying_counts(conn: object, tables: list[str], schema: str = "main") -> dict[str, int]:
        got = real(conn, tables, schema)
        return got if next(calls) == 0 else {**got, "entry": got["entry"] - 1}  # the copy "lost" a row

    monkeypatch.setattr(cipher, "_counts", lying_counts)
    with pytest.raises(cipher.EncryptFailed) as info:
        cipher.encrypt_in_place(db, TEST_KEY)
    assert "tetap utuh" in info.value.message
    assert cipher.is_plain(db)  # checkpointed out of WAL, otherwise as it was
    conn = raw(db, None)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not (tmp_path / "s.sqlite3.encrypting").exists()
    assert niks(db, None) == sorted(wanted)


def test_open_store_finishes_or_undoes_an_interrupted_swap(tmp_path: Path) -> None:
    # Crash between the two renames: the plain store is only under `.plain-old`; it goes back and is encrypted.
    db = tmp_path / "s.sqlite3"
    wanted = plain_store(db)
    os.replace(db, tmp_path / "s.sqlite3.plain-old")
    (tmp_path / "s.sqlite3.encrypting").write_bytes(b"half a copy")
    with store(db) as engine, engine.connect() as conn:
        assert sorted(r[0] for r in conn.exec_driver_sql("SELECT nik FROM entry")) == sorted(wanted)
    assert cipher.is_encrypted(db)
    assert not (tmp_path / "s.sqlite3.plain-old").exists() and not (tmp_path / "s.sqlite3.encrypting").exists()

    # Crash after the swap, before the plain copy was removed: the next open removes it.
    db2 = tmp_path / "t.sqlite3"
    plain_store(db2)
    old = tmp_path / "t.sqlite3.plain-old"
    old.write_bytes(db2.read_bytes())
    cipher.encrypt_in_place(db2, TEST_KEY)
    old.write_bytes(b"SQLite format 3\x00" + b"x" * 4096)  # as if the removal never happened
    with store(db2):
        pass
    assert not old.exists()


def test_wrong_key_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    with store(db):
        pass
    before = db.read_bytes()
    with pytest.raises(cipher.WrongKey) as info, store(db, key=bytes(32)):
        pass
    assert info.value.message.startswith("Data terkunci")
    assert db.read_bytes() == before
