"""POST /api/v1/public/status and the Cek Status page over a real SQLite server database."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from server.public.models import PublicAudit, PublicRate
from server.public.status import NOT_FOUND_TEXT
from tests.support.public_seed import OTHER_DESA, add_person, add_proposal, field_errors
from tests.support.serverapp import Api

NIK = "1902014508850001"
KK = "1902011203100005"
OTHER_KK = "1902011203100006"


def _status(pub: Api, nik: str, kk: str) -> dict[str, object]:
    r = pub.client.post("/api/v1/public/status", json={"nik": nik, "kk": kk})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_matching_pair_shows_the_persons_programmes_in_plain_words(pub: Api, engine: Engine) -> None:
    p = add_person(engine, NIK, KK)
    add_proposal(engine, p, "PKH", household=True, review_state="APPROVED")
    add_proposal(engine, p, "PBI-JK", review_state="REJECTED", reason_code="R06")
    add_proposal(engine, p, "BLT-DD", household=True, musdesus="agreed")
    add_proposal(engine, p, "BPNT", household=True, review_state="RETURNED")
    add_proposal(engine, p, "BST", deleted=True)
    body = _status(pub, "1902 0145 0885 0001", KK)  # typed with spaces, as on the card
    assert body["found"] is True
    states = {p["programme"]: p["state"] for p in body["programmes"]}  # type: ignore[attr-defined]
    assert states == {"PKH": "Disetujui", "PBI-JK": "Ditolak: Tidak memenuhi kriteria program",
                      "BLT-DD": "Disetujui Musdesus", "BPNT": "Dikembalikan ke desa untuk diperbaiki"}
    assert body["desa"] and "Belitung" in body["desa"][0]  # type: ignore[index]


def test_a_fresh_proposal_reads_diusulkan_desa(pub: Api, engine: Engine) -> None:
    p = add_person(engine, NIK, KK)
    add_proposal(engine, p, "PKH", household=True)
    body = _status(pub, NIK, KK)
    assert [x["state"] for x in body["programmes"]] == ["Diusulkan desa"]  # type: ignore[attr-defined]


def test_another_members_person_programme_never_appears(pub: Api, engine: Engine) -> None:
    p = add_person(engine, NIK, KK)
    spouse = add_person(engine, "1902010101800002", KK, household_id=p.household_id, name="Budi")
    add_proposal(engine, p, "PKH", household=True)
    add_proposal(engine, spouse, "PBI-JK")
    body = _status(pub, NIK, KK)
    assert [x["programme"] for x in body["programmes"]] == ["PKH"]  # type: ignore[attr-defined]


def test_the_three_not_found_cases_answer_the_same(pub: Api, engine: Engine) -> None:
    with_prog = add_person(engine, NIK, KK)
    add_proposal(engine, with_prog, "PKH", household=True)
    add_person(engine, "1902010101800002", "1902011203100007", desa=OTHER_DESA)  # no proposal
    wrong_pair = _status(pub, NIK, OTHER_KK)
    unknown = _status(pub, "1902010202900003", KK)
    no_proposal = _status(pub, "1902010101800002", "1902011203100007")
    assert wrong_pair == unknown == no_proposal == {"found": False, "programmes": [], "desa": [],
                                                     "message": NOT_FOUND_TEXT}


def test_nik_or_kk_not_16_digits_is_refused_naming_the_field(pub: Api) -> None:
    r = pub.client.post("/api/v1/public/status", json={"nik": "12345", "kk": KK})
    assert r.status_code == 422
    assert field_errors(r.json()) == {"nik": "NIK harus 16 angka sesuai KTP/KK."}


def test_per_nik_limit_locks_out_from_any_address_and_says_nothing(pub: Api, engine: Engine) -> None:
    pub.client.app.state.public_settings.status_per_nik = 3  # type: ignore[attr-defined]
    add_person(engine, NIK, KK)
    for _ in range(3):
        _status(pub, NIK, OTHER_KK)
    locked = pub.client.post("/api/v1/public/status", json={"nik": NIK, "kk": KK})
    assert locked.status_code == 429
    unknown_locked = None
    for _ in range(4):
        unknown_locked = pub.client.post("/api/v1/public/status", json={"nik": "1902010202900003", "kk": KK})
    assert unknown_locked is not None and unknown_locked.status_code == 429
    assert locked.json() == unknown_locked.json()  # a NIK that exists locks out like one that does not
    assert locked.headers["Retry-After"] == unknown_locked.headers["Retry-After"]
    # Another NIK from the same address is still answered (the address limit is higher).
    assert pub.client.post("/api/v1/public/status", json={"nik": "1902014101700004", "kk": KK}).status_code == 200


def test_per_address_limit_and_its_audit_row(pub: Api, engine: Engine) -> None:
    pub.client.app.state.public_settings.status_per_address = 2  # type: ignore[attr-defined]
    codes = [pub.client.post("/api/v1/public/status", json={"nik": f"19020101018000{i:02d}", "kk": KK}).status_code
             for i in range(1, 5)]
    assert codes == [200, 200, 429, 429]
    with Session(engine) as s:
        actions = s.execute(select(PublicAudit.action)).scalars().all()
        keys = s.execute(select(PublicRate.key)).scalars().all()
        assert actions == ["status_locked"]  # the first refusal only
        assert s.execute(select(func.count()).select_from(PublicRate)).scalar_one() >= 1
    assert not any(NIK in k or "testclient" in k for k in keys)  # keyed hashes, not the NIK or address


def test_the_page_finds_the_person_without_echoing_the_numbers(pub: Api, engine: Engine) -> None:
    p = add_person(engine, NIK, KK)
    add_proposal(engine, p, "PKH", household=True, review_state="APPROVED")
    r = pub.client.post("/publik/cek", data={"nik": NIK, "kk": KK})
    assert r.status_code == 200
    assert "Program Keluarga Harapan" in r.text and "Disetujui" in r.text
    assert NIK not in r.text and KK not in r.text
    assert len(r.content) < 50_000


def test_the_page_names_the_field_in_error(pub: Api) -> None:
    r = pub.client.post("/publik/cek", data={"nik": NIK, "kk": "123"})
    assert r.status_code == 422
    assert "Nomor KK harus 16 angka" in r.text


def test_a_nik_issued_in_another_province_is_found_by_the_local_kk(pub: Api, engine: Engine) -> None:
    # Born in Jawa Barat (NIK 32...), living in Belitung on a Belitung KK: the KK's province is searched.
    p = add_person(engine, "3201014508850001", KK)
    add_proposal(engine, p, "PKH", household=True)
    assert _status(pub, "3201014508850001", KK)["found"] is True
