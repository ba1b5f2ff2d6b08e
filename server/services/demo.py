"""`bansos-server demo`: a database for trying the system (README's run command).

Kec. Tanjungpandan (19.02.01), Kab. Belitung: three desa, one account per role, a few households
with their members and proposals (one NIK registered in two desa, two members in one household, one
reference-list recipient) and reference rows. Re-running it
is safe: accounts are reset and the demo batches are replayed, not duplicated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain import regions
from domain.legacy_ids import household_id_for, member_id_for
from domain.programmes import Catalogue, Target
from server import migrate
from server.models import Device, ReferenceRecipient, User
from server.services.ingest import ingest_batch
from server.services.seq import SeqAllocator, ref_feed
from server.services.users import create_user
from server.settings import Settings
from sync.protocol import RecordBatchRequest

KECAMATAN = "190201"
DESA = ("1902012003", "1902012004", "1902012007")  # Buluh Tumbang, Perawas, Dukong
ACCOUNTS = (
    ("operator1", "operator", DESA[0]),
    ("operator2", "operator", DESA[1]),
    ("operator3", "operator", DESA[2]),
    ("reviewer1", "reviewer", KECAMATAN),
    ("supervisor1", "supervisor", "1902"),
    ("admin", "admin", ""),
)


def demo_password(username: str) -> str:
    return f"{username}-demo-sandi"


def _nik(desa: str, born: date, sex: str, serial: int) -> str:
    return f"{desa[:6]}{born.day + (40 if sex == 'P' else 0):02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def _entry(desa: str, serial: int, name: str, born: date, sex: str, programme: str, crit: list[str],
           nik: str | None = None, kk_serial: int | None = None, relation: str = "kepala_keluarga") -> dict[str, object]:
    """One person and the programme proposed for them (made into household, member and proposal ops)."""
    return {"nik": nik or _nik(desa, born, sex, serial), "kk": f"{desa[:6]}150310{kk_serial or serial:04d}",
            "name": name, "birth_place": "Tanjungpandan", "birth_date": born.isoformat(), "sex": sex,
            "desa_code": desa, "rt": "001", "rw": "001", "address": "Jl. Demo", "criteria": crit,
            "programme": programme, "relation": relation}


def _ops(desa: str, people: list[dict[str, object]], catalogue: Catalogue) -> list[dict[str, object]]:
    """Household -> member -> proposal ops in that order (references come first); a household is sent once."""
    ops: list[dict[str, object]] = []
    sent: set[str] = set()
    for j, p in enumerate(people):
        hid, mid = household_id_for(desa, str(p["kk"])), member_id_for(desa, str(p["nik"]))
        if hid not in sent:
            sent.add(hid)
            ops.append({"op_id": f"demo-op-{desa}-{j}-h", "record_type": "household", "record_id": hid,
                        "base_version": None, "local_rev": 1, "kind": "UPSERT", "payload": {
                            "kk": p["kk"], "desa_code": desa, "rt": p["rt"], "rw": p["rw"], "address": p["address"]}})
        ops.append({"op_id": f"demo-op-{desa}-{j}-m", "record_type": "member", "record_id": mid, "base_version": None,
                    "local_rev": 1, "kind": "UPSERT", "payload": {
                        "household_id": hid, "nik": p["nik"], "name": p["name"], "birth_place": p["birth_place"],
                        "birth_date": p["birth_date"], "sex": p["sex"], "relation": p["relation"]}})
        prog = catalogue.get(str(p["programme"]))
        on_household = prog is not None and prog.target is Target.HOUSEHOLD
        ops.append({"op_id": f"demo-op-{desa}-{j}", "record_type": "proposal", "record_id": f"demo-rec-{desa}-{j}",
                    "base_version": None, "local_rev": 1, "kind": "UPSERT", "payload": {
                        "programme": p["programme"], "household_id": hid if on_household else "",
                        "member_id": "" if on_household else mid, "pengurus_id": mid if on_household else "",
                        "criteria": p["criteria"]}})
    return ops


def build_demo(engine: Engine, settings: Settings | None = None) -> str:
    settings = settings or Settings()
    migrate.upgrade(engine)
    catalogue = Catalogue.from_file(settings.programmes_file)
    shared_nik = _nik(DESA[0], date(1961, 4, 2), "P", 31)
    entries = {
        DESA[0]: [
            _entry(DESA[0], 31, "Siti Aminah", date(1961, 4, 2), "P", "PKH", ["lansia"], nik=shared_nik),
            _entry(DESA[0], 32, "Ahmad Fauzi", date(1979, 11, 20), "L", "BPNT", ["nelayan"]),
            _entry(DESA[0], 33, "Rusmini", date(1985, 2, 14), "P", "BLT-DD", ["tidak_bekerja"]),
            _entry(DESA[0], 34, "Sukardi", date(1958, 8, 17), "L", "PKH", ["lansia", "penyakit_kronis"]),
            # Sukardi's wife, in his household, proposed for PBI-JK (a person programme).
            _entry(DESA[0], 35, "Painem", date(1962, 9, 1), "P", "PBI-JK", ["lansia"], kk_serial=34,
                   relation="istri"),
        ],
        DESA[1]: [
            # The same NIK as in Buluh Tumbang: a cross-village duplicate for the reviewer.
            _entry(DESA[1], 41, "Siti Aminah", date(1961, 4, 2), "P", "PKH", ["lansia"], nik=shared_nik),
            _entry(DESA[1], 42, "Mohammad Yusuf", date(1990, 6, 1), "L", "BST", ["phk"]),
            _entry(DESA[1], 43, "Hj. Maryam", date(1970, 1, 9), "P", "BPNT", ["kepala_keluarga_perempuan"]),
        ],
        DESA[2]: [
            _entry(DESA[2], 51, "Yanto", date(1982, 3, 3), "L", "BLT-DD", ["petani"]),
        ],
    }
    ref_nik = str(entries[DESA[1]][2]["nik"])  # Hj. Maryam already receives PKH (pusat)
    now = datetime.now(UTC)
    with Session(engine) as s:
        users = {u: create_user(s, username=u, role=r, area=a, password=demo_password(u), replace=True)
                 for u, r, a in ACCOUNTS}
        seq = SeqAllocator(s)
        for nik, prog, level in ((ref_nik, "PKH", "pusat"), (_nik(DESA[0], date(1950, 1, 1), "L", 99), "BPNT", "pusat")):
            if s.exec(select(ReferenceRecipient).where(ReferenceRecipient.nik == nik)).first() is None:
                s.add(ReferenceRecipient(nik=nik, programme=prog, level=level, status="aktif", period="2026",
                                         kecamatan_code=nik[:6], change_seq=seq.next(ref_feed(nik[:6])), imported_at=now))
        seq.store()
        s.commit()
        for i, desa in enumerate(DESA):
            user: User = users[f"operator{i + 1}"]
            dev_id = f"demo-device-{desa}"
            if s.get(Device, dev_id) is None:
                s.add(Device(device_id=dev_id, user_id=user.id or 0, desa_code=desa, label="Demo", created_at=now))
                s.commit()
            ops = _ops(desa, entries[desa], catalogue)
            ingest_batch(s, settings=settings, catalogue=catalogue, user=user, batch_id=f"demo-batch-{desa}",
                         req=RecordBatchRequest.model_validate({"device_id": dev_id, "ops": ops,
                                                                "record_count": len(ops)}))
    lines = [f"Basis data demo siap: {engine.url.render_as_string(hide_password=True)}",
             f"Kecamatan {regions.path_text(KECAMATAN)}; desa: "
             + ", ".join(f"{regions.dotted(d)} {regions.name_of(d)}" for d in DESA), "Akun demo (kata sandi):"]
    lines += [f"  {u:<12} {r:<10} {regions.dotted(a) or '-':<14} {demo_password(u)}" for u, r, a in ACCOUNTS]
    lines.append("Jalankan: bansos-server serve  (lalu buka http://127.0.0.1:8000/docs)")
    return "\n".join(lines)
