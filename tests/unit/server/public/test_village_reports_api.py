"""Stage 2 over HTTP: the village pulls its desa's reports and sends its finding; field verifiers
(PSM one desa, TKSK one kecamatan) work their area only."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from server.public.reports import ReportInput, submit
from tests.support.public_seed import DESA, OTHER_DESA
from tests.support.serverapp import Api

FAR_DESA = "1902022001"  # another kecamatan


def _usul(api: Api, desa: str = DESA, name: str = "Sarmini") -> str:
    with Session(api.engine) as s:
        return submit(s, ReportInput(kind="usul", name=name, nik="", desa_code=desa, address="Dusun II RT 03",
                                     reason="Janda lansia tanpa penghasilan", reporter_name="Rahmat",
                                     reporter_phone="081234567890"), client="uji", active_statuses=["aktif"]).ticket


def _pull(api: Api, who: str, **params: Any) -> Any:
    return api.client.get("/api/v1/sync/reports", params=params, headers=api.auth(who))


def _outcome(api: Api, who: str, ticket: str, **body: Any) -> Any:
    return api.client.post(f"/api/v1/sync/reports/{ticket}/outcome", json=body, headers=api.auth(who))


def test_the_operator_pulls_its_desas_reports_and_the_ticket_shows_the_finding(pub: Api) -> None:
    pub.user("op1", "operator", DESA)
    device = pub.device("op1", DESA)
    mine, _ = _usul(pub), _usul(pub, desa=OTHER_DESA, name="Orang Lain")
    page = _pull(pub, "op1", device_id=device).json()
    assert [i["ticket"] for i in page["items"]] == [mine] and page["items"][0]["name"] == "Sarmini"
    assert not page["has_more"]
    r = _outcome(pub, "op1", mine, state="PROPOSED", note="Layak; diusulkan untuk PKH.", proposal_id="p-1")
    assert r.status_code == 200, r.text
    again = _outcome(pub, "op1", mine, state="PROPOSED", note="Layak; diusulkan untuk PKH.", proposal_id="p-1")
    assert again.status_code == 200 and again.json() == r.json()  # a retry after a lost answer
    lacak = pub.client.get(f"/api/v1/public/reports/{mine}").json()
    assert lacak["outcome_text"] == "Layak; diusulkan untuk PKH." and lacak["state"] == "PROPOSED"
    other = _outcome(pub, "op1", mine, state="NOT_ELIGIBLE", note="Berubah pikiran")
    assert other.status_code == 409
    nxt = _pull(pub, "op1", device_id=device, since=page["next_cursor"]).json()
    assert [(i["ticket"], i["state"]) for i in nxt["items"]] == [(mine, "PROPOSED")]


def test_another_desas_report_is_not_found_for_the_operator(pub: Api) -> None:
    pub.user("op1", "operator", DESA)
    theirs = _usul(pub, desa=OTHER_DESA)
    r = _outcome(pub, "op1", theirs, state="NOT_ELIGIBLE", note="Penghasilan di atas batas")
    assert r.status_code == 404
    assert pub.client.get(f"/api/v1/public/reports/{theirs}").json()["state"] == "RECEIVED"


def test_a_psm_works_its_own_desa_only(pub: Api) -> None:
    pub.user("psm1", "psm", DESA)
    mine, theirs = _usul(pub), _usul(pub, desa=OTHER_DESA)
    assert [i["ticket"] for i in _pull(pub, "psm1").json()["items"]] == [mine]
    assert _pull(pub, "psm1", desa=OTHER_DESA).status_code == 403
    assert _outcome(pub, "psm1", theirs, state="CLOSED", note="Sudah pindah").status_code == 404
    assert _outcome(pub, "psm1", mine, state="NOT_ELIGIBLE", note="Punya usaha warung").status_code == 200


def test_a_tksk_works_every_desa_of_its_kecamatan_and_no_other(pub: Api) -> None:
    pub.user("tksk1", "tksk", DESA[:6])
    a, b, far = _usul(pub), _usul(pub, desa=OTHER_DESA), _usul(pub, desa=FAR_DESA)
    assert [i["ticket"] for i in _pull(pub, "tksk1", desa=OTHER_DESA).json()["items"]] == [b]
    assert _pull(pub, "tksk1").status_code == 422  # a kecamatan account names the desa
    assert _pull(pub, "tksk1", desa=FAR_DESA).status_code == 403
    assert _outcome(pub, "tksk1", far, state="CLOSED", note="Sudah pindah").status_code == 404
    assert _outcome(pub, "tksk1", a, state="IN_VERIFICATION").status_code == 200


def test_reviewers_and_old_clients_are_refused(pub: Api) -> None:
    pub.user("rev1", "reviewer", DESA[:6])
    pub.user("op1", "operator", DESA)
    assert _pull(pub, "rev1").status_code == 403
    old = {"Authorization": pub.auth("op1")["Authorization"]}
    assert pub.client.get("/api/v1/sync/reports", headers=old).status_code == 403

