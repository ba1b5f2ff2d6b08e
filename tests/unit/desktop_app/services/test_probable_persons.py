"""An invalid NIK gets "this is probably X, already registered" beside its error (issue 14)."""

from __future__ import annotations

from pathlib import Path

from tests.support.store import entry, service, store


def test_invalid_nik_returns_the_person_probably_meant(tmp_path: Path) -> None:
    with store(tmp_path / "s.sqlite3") as engine:
        svc = service(engine)
        rid = svc.save(entry(name="Siti Aminah", nik="1902015708850001")).record_id
        svc.save(entry(name="Budi Santoso", nik="1902011708900002", kk="1902010101100002", sex="L",
                       birth_date="1990-08-17"))
        typed = entry(name="SITI AMINAH", nik="1902019708850001")  # day 97: impossible, one digit from Siti's
        result = svc.check(typed)
        assert any(i.field == "nik" for i in result.entry.errors)  # the error stays
        [hit] = svc.probable_persons(typed)
        assert hit.record_id == rid and hit.decision in ("same", "probable")
        assert "NIK beda satu angka" in hit.reasons
        # Another name: no guess; a NIK one digit away is not evidence of a person on its own.
        assert svc.probable_persons({**typed, "name": "Bambang"}) == []
