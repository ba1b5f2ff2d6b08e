"""A citizen's sanggah against someone of a proposal's family shows in the review API's proposal detail:
reason and explanation, never the reporter; a sanggah about someone else, or auto-closed, does not."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from server.public.reports import ReportInput, submit
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, KEC, batch, payload, person_ops


def _sanggah(api: Api, *, name: str, nik: str = "", desa: str = DESA_A, reason: str = "mampu") -> str:
    with Session(api.engine) as s:
        return submit(s, ReportInput(kind="sanggah", name=name, nik=nik, desa_code=desa, address="Dusun I",
                                     reason_code=reason, reason="Sudah punya toko bangunan dan mobil",
                                     reporter_name="Pelapor Rahasia", reporter_phone="081299990000"),
                      client="uji", active_statuses=["aktif"]).ticket


def test_the_reviewer_sees_objections_beside_the_proposal(api: Api) -> None:
    api.user("op1", "operator", DESA_A)
    api.user("rev1", "reviewer", KEC)
    dev = api.device("op1", DESA_A)
    p = payload(DESA_A, serial=7, name="Siti Aminah")
    rid = str(uuid.uuid4())
    assert api.send("op1", batch(dev, person_ops(p, rid))).status_code == 200
    by_nik = _sanggah(api, name="Bu Siti", nik=p["nik"])  # matched by NIK alone
    by_name = _sanggah(api, name="siti  AMINAH", reason="pindah")
    _sanggah(api, name="Orang Lain")
    _sanggah(api, name="Siti Aminah", desa=DESA_B)  # same name, another desa
    r = api.client.get(f"/api/v1/review/proposals/{rid}", headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    got = r.json()["objections"]
    assert [(o["ticket"], o["reason_text"]) for o in got] == [
        (by_nik, "Sudah mampu / kondisi ekonomi membaik"), (by_name, "Pindah domisili")]
    assert got[0]["explanation"] == "Sudah punya toko bangunan dan mobil"
    assert "Pelapor Rahasia" not in r.text and "081299990000" not in r.text
