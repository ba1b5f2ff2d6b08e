"""One matcher everywhere (issue 14): the entry form's check (service level), `bansos duplicates`,
the server's duplicate groups and `bansos-server dedupe` agree on every pair of one small set."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from desktop_app import paths
from desktop_app.cli import main as bansos
from desktop_app.services.quick_add import add_person
from domain.programmes import DEFAULT
from local_db.engine import close_store, open_store
from local_db.household_repo import Who
from local_db.member_duplicates import member_duplicates
from server.models import DuplicateGroup, DuplicateMember
from server.services.dedupe import run as dedupe_run
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, batch, kk_for, nik_for, person_ids, person_ops


def _person(key: str, name: str, born: date, sex: str, *, serial: int, kk: int, nik: str | None = None,
            typed: date | None = None) -> tuple[str, dict[str, Any]]:
    return key, {
        "nik": nik or nik_for(DESA_A, born, sex, serial), "kk": kk_for(DESA_A, kk), "name": name,
        "birth_date": (typed or born).isoformat(), "sex": sex, "desa_code": DESA_A, "programme": "PBI-JK",
        "address": "Jl. Melati", "rt": "001", "rw": "002",
    }


def _people() -> list[tuple[str, dict[str, Any]]]:
    a = nik_for(DESA_A, date(1970, 3, 5), "L", 11)
    d = nik_for(DESA_A, date(1975, 9, 9), "P", 31)
    e = nik_for(DESA_A, date(1990, 12, 1), "P", 2)
    f = nik_for(DESA_A, date(1983, 4, 4), "P", 3)
    return [
        _person("A", "Suparman Wijaya", date(1970, 3, 5), "L", serial=11, kk=1),
        _person("A2", "SOEPARMAN WIJAYA", date(1970, 3, 5), "L", serial=0, kk=2, nik=a[:15] + "7"),
        _person("B", "Andi", date(2001, 6, 10), "L", serial=5, kk=3),  # twins in one KK
        _person("B2", "Andini", date(2001, 6, 10), "P", serial=6, kk=3),
        _person("C", "Nur Hidayat", date(1988, 2, 2), "L", serial=1, kk=4),  # a man and a woman
        _person("C2", "Nur Hidayat", date(1988, 2, 2), "P", serial=1, kk=5),
        _person("D", "Masnah Suartini", date(1975, 9, 9), "P", serial=31, kk=6),
        _person("D2", "Masnah", date(1975, 9, 9), "P", serial=0, kk=7, nik=d[:14] + d[15] + d[14]),
        _person("E", "Nurhasanah", date(1990, 12, 1), "P", serial=2, kk=8),
        _person("E2", "Nur Hasanah", date(1990, 12, 1), "P", serial=0, kk=9, nik=e[:15] + "8",
                typed=date(1990, 12, 11)),
        _person("F", "Ratna Rahayu", date(1983, 4, 4), "P", serial=3, kk=10),
        _person("F2", "Ratna Rhayu", date(1983, 4, 4), "P", serial=0, kk=11, nik=f[:15] + "9"),
    ]


EXPECTED = {frozenset(p) for p in (("A", "A2"), ("D", "D2"), ("E", "E2"), ("F", "F2"))}


def test_member_check_duplicates_command_server_groups_and_dedupe_agree(api: Api, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    engine = open_store(paths.db_path(data_dir))
    member_names: dict[str, str] = {}  # member record_id -> key
    at_entry: dict[frozenset[str], str] = {}  # what the operator is shown while typing each person
    payloads: dict[str, dict[str, Any]] = {}
    try:
        for key, data in _people():
            born = date.fromisoformat(data["birth_date"])
            with Session(engine) as s:
                hits = member_duplicates(s, nik=data["nik"], name=data["name"], birth_date=born, sex=data["sex"],
                                         kk=data["kk"], desa_code=DESA_A, rt=data["rt"], rw=data["rw"])
            assert not any(h.blocking for h in hits), key
            for h in hits:
                if h.kind == "probable_person":
                    at_entry[frozenset((key, member_names[h.record_id or ""]))] = h.decision
            added = add_person(engine, Who("Operator Uji", "dev-uji"), data, catalogue=DEFAULT,
                               override_reason="uji kesepakatan")
            member_names[added.member_id] = key
            payloads[added.member_id] = {**data, "dusun": ""}
    finally:
        close_store(engine)
    assert set(at_entry) == EXPECTED
    names = member_names

    # `bansos duplicates --json`, over the same store (households and members, issue 12)
    out = io.StringIO()
    with redirect_stdout(out):
        assert bansos(["--data-dir", str(data_dir), "duplicates", "--json"]) == 0
    groups = json.loads(out.getvalue())
    listed = {frozenset((member_names[p["record_id_a"]], member_names[p["record_id_b"]])): p["decision"]
              for g in groups if g["kind"] == "probable_person" for p in g["pairs"]}
    assert listed == at_entry

    # `bansos-server dedupe` on the same people as a file
    src = tmp_path / "people.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "nik", "kk", "name", "birth_date", "sex", "desa_code", "dusun", "rt", "rw", "catatan"])
        for rid, p in payloads.items():
            w.writerow([rid, p["nik"], p["kk"], p["name"], p["birth_date"], p["sex"], p["desa_code"], p["dusun"],
                        p["rt"], p["rw"], "kolom lain diabaikan"])
    pairs_csv = tmp_path / "pairs.csv"
    report = dedupe_run(src, pairs_csv, id_column="id", err=io.StringIO())
    assert report.bad == []
    with pairs_csv.open(encoding="utf-8") as f:
        deduped = {frozenset((names[r["id_a"]], names[r["id_b"]])): r["decision"] for r in csv.DictReader(f)}
    assert deduped == at_entry

    # The server's groups, the same people sent by their village (as households, members, proposals;
    # a probable-person group holds members)
    api.user("op1", "operator", DESA_A)
    dev = api.device("op1", DESA_A)
    member_key: dict[str, str] = {}
    for rid, p in payloads.items():
        member_key[person_ids(p)[1]] = names[rid]
        r = api.send("op1", batch(dev, person_ops(p, rid)))
        assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"ACCEPTED"}, r.text
    with Session(api.engine) as s:
        groups = s.exec(select(DuplicateGroup).where(DuplicateGroup.kind == "person",
                                                     DuplicateGroup.state == "OPEN")).all()
        server_groups = {frozenset(member_key[m] for m in s.exec(select(DuplicateMember.record_id).where(
            DuplicateMember.group_id == g.id))) for g in groups}
    assert server_groups == EXPECTED
