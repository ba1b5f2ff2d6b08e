"""A real `bansos-server serve` with the public pages and seeded people, for browser and timing tests.

    srv, people = public_server(tmp_path, workers=2, env={"BANSOS_PUBLIC_STATUS_PER_NIK": "5"})
    people.found / .wrong_kk / .unknown / .no_proposal   # NIK + KK pairs of each case
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server import db
from tests.support.public_seed import OTHER_DESA, add_person, add_proposal
from tests.support.serverproc import ServerProcess

NIK = "1902014508850001"
KK = "1902011203100005"
RECIPIENT_NIK = "1902015010750002"  # an approved PKH household member: a usul about her closes at once


@dataclass(frozen=True)
class Pair:
    nik: str
    kk: str


@dataclass(frozen=True)
class People:
    found: Pair = Pair(NIK, KK)
    wrong_kk: Pair = Pair(NIK, "1902011203100006")  # her NIK with another family's KK
    unknown: Pair = Pair("1902010202900003", KK)
    no_proposal: Pair = Pair("1902010101800004", "1902011203100007")
    recipient_nik: str = RECIPIENT_NIK


def seed(database_url: str) -> People:
    people = People()
    engine = db.make_engine(database_url)
    try:
        siti = add_person(engine, NIK, KK, name="Siti Aminah")
        add_proposal(engine, siti, "PKH", household=True, review_state="APPROVED")
        add_proposal(engine, siti, "PBI-JK", review_state="REJECTED", reason_code="R06")
        add_person(engine, people.no_proposal.nik, people.no_proposal.kk, desa=OTHER_DESA, name="Budi")
        recipient = add_person(engine, RECIPIENT_NIK, "1902011203100008", name="Ani")
        add_proposal(engine, recipient, "PKH", household=True, review_state="APPROVED")
    finally:
        engine.dispose()
    return people


def public_server(workdir: Path, *, workers: int = 1, env: dict[str, str] | None = None,
                  access_log: bool = False) -> tuple[ServerProcess, People]:
    args = (("--workers", str(workers)) if workers > 1 else ()) + (("--access-log",) if access_log else ())
    srv = ServerProcess(workdir, env=env or {}, serve_args=args)
    srv.init()
    people = seed(srv.database_url)
    srv.start()
    return srv, people
