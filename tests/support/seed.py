"""Realistic demo data for tests, screenshots and manual tries: ~30 entries in one Belitung desa.

    from tests.support.seed import seed_demo
    ids = seed_demo(data_dir)          # creates the store, sets desa + operator, saves entries

Every entry goes through EntryService.save (the same path as the form), so the outbox and audit
rows are real. `with_states=True` then marks some entries as the server would have left them
(sent, approved, rejected with a reason, returned for revision, conflict) so lists show every
state; that part writes the server-owned columns directly, as the sync pull would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text

from desktop_app.context import AppContext
from domain.states import ReviewState, SyncState

DESA = "1902012003"  # Buluh Tumbang, Kec. Tanjungpandan, Kab. Belitung, Kep. Bangka Belitung
KEC = "190201"
OPERATOR = "Rina Marlina"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    born: date
    sex: str
    place: str = "Tanjungpandan"
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Family:
    kk_date: date
    dusun: str
    rt: str
    rw: str
    address: str
    phone: str
    programme: str  # the head's programme; the others go to PBI-JK (one per person allowed)
    members: tuple[Person, ...]


FAMILIES: tuple[Family, ...] = (
    Family(date(2012, 3, 14), "Air Serkuk", "001", "001", "Jl. Air Serkuk No. 12", "081273451120", "PKH", (
        Person("Ahmad Fauzi", date(1978, 5, 9), "L", criteria=("nelayan",)),
        Person("Siti Aminah", date(1982, 11, 23), "P", criteria=("ibu_hamil",)),
        Person("Muhammad Rizki", date(2009, 7, 2), "L", criteria=("anak_sekolah",)),
    )),
    Family(date(2015, 8, 3), "Air Serkuk", "002", "001", "Gg. Melati No. 4", "081366120934", "BPNT", (
        Person("Hasanudin", date(1955, 2, 17), "L", "Manggar", ("lansia", "petani")),
        Person("Rohana", date(1958, 9, 30), "P", "Manggar", ("lansia",)),
    )),
    Family(date(2018, 1, 22), "Buluh Tumbang", "003", "002", "Jl. Raya Buluh Tumbang No. 88", "082175539012", "BLT-DD", (
        Person("Sulaiman", date(1970, 12, 5), "L", criteria=("phk",)),
        Person("Marlina", date(1974, 4, 11), "P", criteria=("kukm",)),
        Person("Dewi Lestari", date(2006, 10, 19), "P", criteria=("anak_sekolah",)),
        Person("Yusuf Maulana", date(2011, 6, 8), "L", criteria=("anak_sekolah",)),
    )),
    Family(date(2010, 6, 9), "Buluh Tumbang", "001", "002", "Jl. Sijuk Km. 4", "081929004417", "PKH", (
        Person("Junaidi", date(1966, 8, 21), "L", "Badau", ("petani",)),
        Person("Fatimah", date(1969, 1, 3), "P", "Badau", ("penyakit_kronis",)),
    )),
    Family(date(2019, 11, 12), "Teluk Gembira", "004", "003", "Jl. Pantai Tanjung Pendam No. 7", "085367781290", "BPNT", (
        Person("Sahrul Gunawan", date(1988, 3, 27), "L", criteria=("dirumahkan",)),
        Person("Rosita", date(1990, 7, 15), "P", criteria=("ibu_hamil",)),
    )),
    Family(date(2008, 2, 28), "Teluk Gembira", "002", "003", "Gg. Kenanga No. 19", "081377840215", "BLT-DD", (
        Person("Aisyah", date(1949, 5, 1), "P", "Membalong", ("lansia", "kepala_keluarga_perempuan")),
    )),
    Family(date(2016, 9, 5), "Pangkal Lalang", "005", "004", "Jl. Pangkal Lalang No. 31", "087896651023", "PKH", (
        Person("Bambang Supriyadi", date(1981, 9, 9), "L", "Belitung", ("tidak_bekerja",)),
        Person("Sri Wahyuni", date(1984, 2, 14), "P", "Belitung", ("kukm",)),
        Person("Nur Aini", date(2013, 12, 1), "P", criteria=("anak_sekolah",)),
    )),
    Family(date(2014, 4, 17), "Pangkal Lalang", "001", "004", "Jl. Merdeka No. 2", "081278893344", "BPNT", (
        Person("Hendra Saputra", date(1993, 10, 10), "L", criteria=("nelayan",)),
        Person("Yulianti", date(1995, 6, 29), "P"),
    )),
    Family(date(2011, 7, 30), "Air Serkuk", "003", "001", "Jl. Air Serkuk Dalam", "082281127765", "BLT-DD", (
        Person("Edi Susanto", date(1962, 3, 3), "L", "Tanjungpandan", ("disabilitas",)),
        Person("Kartini", date(1965, 8, 17), "P", "Tanjungpandan", ("lansia",)),
    )),
    Family(date(2020, 2, 10), "Buluh Tumbang", "002", "002", "Gg. Mawar No. 6", "081369920180", "PKH", (
        Person("Abdul Rahman", date(1985, 1, 25), "L", criteria=("petani",)),
        Person("Maimunah", date(1987, 11, 8), "P", criteria=("ibu_hamil",)),
        Person("Zulkifli", date(2008, 4, 4), "L", criteria=("anak_sekolah",)),
    )),
    Family(date(2017, 5, 23), "Teluk Gembira", "001", "003", "Jl. Nelayan No. 15", "085273315549", "BPNT", (
        Person("Rahmat Hidayat", date(1976, 7, 7), "L", criteria=("nelayan",)),
        Person("Nurlela", date(1979, 12, 12), "P"),
    )),
    Family(date(2009, 10, 1), "Pangkal Lalang", "003", "004", "Jl. Pangkal Lalang Ujung", "081949907731", "BLT-DD", (
        Person("Syamsul Bahri", date(1952, 6, 16), "L", "Sijuk", ("lansia", "penyakit_kronis")),
        Person("Asmah", date(1956, 9, 2), "P", "Sijuk", ("lansia",)),
    )),
)


def nik_for(p: Person, serial: int) -> str:
    day = p.born.day + (40 if p.sex == "P" else 0)
    return f"{KEC}{day:02d}{p.born.month:02d}{p.born.year % 100:02d}{serial:04d}"


def kk_for(f: Family, serial: int) -> str:
    return f"{KEC}{f.kk_date.day:02d}{f.kk_date.month:02d}{f.kk_date.year % 100:02d}{serial:04d}"


def demo_rows() -> list[dict[str, object]]:
    """The demo entries as form data dicts (what EntryService.save takes)."""
    rows: list[dict[str, object]] = []
    serial = 1
    for fi, fam in enumerate(FAMILIES):
        kk = kk_for(fam, 3100 + fi)
        for mi, p in enumerate(fam.members):
            rows.append({
                "nik": nik_for(p, serial), "kk": kk, "name": p.name, "birth_place": p.place,
                "birth_date": p.born.isoformat(), "sex": p.sex, "desa_code": DESA, "dusun": fam.dusun,
                "rt": fam.rt, "rw": fam.rw, "address": fam.address, "phone": fam.phone if mi == 0 else "",
                "criteria": list(p.criteria), "programme": fam.programme if mi == 0 else "PBI-JK", "notes": "",
            })
            serial += 1
    return rows


# (index in demo_rows, sync_state, review_state, reason code, note)
STATES: tuple[tuple[int, str, str | None, str | None, str | None], ...] = (
    (0, SyncState.SYNCED, ReviewState.APPROVED, None, None),
    (1, SyncState.SYNCED, ReviewState.APPROVED, None, None),
    (3, SyncState.SYNCED, ReviewState.PENDING, None, None),
    (5, SyncState.SYNCED, ReviewState.REJECTED, "R04", None),
    (7, SyncState.SYNCED, ReviewState.RETURNED, None, "Foto KK tidak terbaca, mohon unggah ulang"),
    (9, SyncState.DIRTY, ReviewState.APPROVED, None, None),
    (12, SyncState.SYNCED, ReviewState.REJECTED, "R09", None),
    (14, SyncState.CONFLICT, ReviewState.PENDING, None, None),
    (16, SyncState.SYNCED, ReviewState.PENDING, None, None),
    (20, SyncState.SYNCED, ReviewState.APPROVED, None, None),
)


def seed_demo(data_dir: Path, *, with_states: bool = True, operator: str = OPERATOR) -> list[str]:
    """Create (or add to) the store in `data_dir` with the demo entries; returns their record ids."""
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name=operator)
        svc = ctx.entry_service()
        ids = [svc.save(row).record_id for row in demo_rows()]
        if with_states:
            mark_states(ctx, ids)
    return ids


def mark_states(ctx: AppContext, ids: list[str]) -> None:
    """Set server-owned columns the way a sync pull would (demo only)."""
    with ctx.engine.begin() as conn:
        for i, sync, review, code, note in STATES:
            if i >= len(ids):
                continue
            conn.execute(text(
                "UPDATE entry SET sync_state=:s, review_state=:r, review_reason_code=:c, review_note=:n, "
                "server_version=1, base_version=1 WHERE record_id=:id"),
                {"s": str(sync), "r": str(review) if review else None, "c": code, "n": note, "id": ids[i]})
