"""Reports (usul, sanggah) and tickets: JSON API and pages over a real SQLite server database."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from server.public import reports
from server.public.models import PublicAudit, PublicPhoto, PublicReport
from server.public.states import AUTO_CLOSED_TEXT
from tests.support.public_seed import DESA, add_person, add_proposal, add_reference, field_errors
from tests.support.serverapp import Api

NIK = "1902014508850001"
KK = "1902011203100005"
USUL = {"kind": "usul", "nik": "", "name": "Sarmini", "desa_code": DESA, "address": "Dusun II RT 03 RW 01",
        "reason": "Janda lansia, tinggal sendiri, rumah berlantai tanah", "reporter_name": "Rahmat",
        "reporter_phone": "081234567890"}
SANGGAH = {"kind": "sanggah", "name": "Pak Kaya", "desa_code": DESA, "reason_code": "mampu",
           "reason": "Sudah punya dua mobil dan toko besar", "reporter_name": "Warga",
           "reporter_phone": "081298765432"}
# A 1x1 JPEG with an EXIF APP1 segment holding "GPS" text (stripped before storage).
_EXIF = b"Exif\x00\x00GPSLatitude-2.7"
JPEG = (b"\xff\xd8" + b"\xff\xe1" + (len(_EXIF) + 2).to_bytes(2, "big") + _EXIF
        + b"\xff\xdb\x00\x04\x00\x01" + b"\xff\xda\x00\x02" + b"\x12\x34" + b"\xff\xd9")


def _send(pub: Api, body: dict[str, object]) -> dict[str, object]:
    r = pub.client.post("/api/v1/public/reports", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_usul_gets_a_ticket_that_lacak_shows(pub: Api, engine: Engine) -> None:
    out = _send(pub, USUL)
    assert re.fullmatch(r"U-[2-9A-Z]{5}-[2-9A-Z]{5}", str(out["ticket"]))
    assert out["state"] == "RECEIVED" and "diteruskan ke pemerintah desa" in str(out["outcome_text"])
    got = pub.client.get(f"/api/v1/public/reports/{str(out['ticket']).lower().replace('-', ' ')}")
    assert got.status_code == 200 and got.json()["state_text"] == "Diterima, menunggu verifikasi desa"
    with Session(engine) as s:
        rep = s.execute(select(PublicReport)).scalar_one()
        assert (rep.name, rep.desa_code, rep.kecamatan_code, rep.change_seq) == ("Sarmini", DESA, DESA[:6], 1)
        audit = s.execute(select(PublicAudit)).scalar_one()
        assert (audit.action, audit.ticket) == ("report_created", out["ticket"])
        assert "Sarmini" not in audit.detail and "0812" not in audit.detail


def test_usul_about_an_approved_recipient_is_closed_without_naming_the_programme(pub: Api, engine: Engine) -> None:
    p = add_person(engine, NIK, KK)
    add_proposal(engine, p, "PKH", household=True, review_state="APPROVED")
    out = _send(pub, {**USUL, "nik": NIK})
    assert out["state"] == "AUTO_CLOSED" and out["outcome_text"] == AUTO_CLOSED_TEXT
    assert "PKH" not in json.dumps(out) and "Keluarga Harapan" not in json.dumps(out)


def test_usul_about_a_reference_recipient_is_closed(pub: Api, engine: Engine) -> None:
    add_reference(engine, NIK, "BPNT")
    assert _send(pub, {**USUL, "nik": NIK})["state"] == "AUTO_CLOSED"


def test_usul_about_a_pending_or_rejected_person_goes_to_the_desa(pub: Api, engine: Engine) -> None:
    p = add_person(engine, NIK, KK)
    add_proposal(engine, p, "PKH", household=True, review_state="REJECTED", reason_code="R06")
    add_reference(engine, NIK, "BPNT", status="nonaktif")
    assert _send(pub, {**USUL, "nik": NIK})["state"] == "RECEIVED"


def test_invalid_nik_is_refused_naming_the_field(pub: Api, engine: Engine) -> None:
    r = pub.client.post("/api/v1/public/reports", json={**USUL, "nik": "1902013208850001"})
    assert r.status_code == 422
    assert field_errors(r.json())["nik"].startswith("NIK: tanggal lahir '32' tidak mungkin")
    page = pub.client.post("/publik/usul", data={**USUL, "nik": "12345"})
    assert page.status_code == 422 and "NIK harus 16 digit, yang diketik 5 digit." in page.text
    assert 'value="Sarmini"' in page.text  # what was typed stays in the form
    with Session(engine) as s:
        assert s.execute(select(PublicReport)).first() is None


def test_every_missing_field_is_named(pub: Api) -> None:
    r = pub.client.post("/api/v1/public/reports", json={"kind": "usul", "desa_code": "123"})
    assert r.status_code == 422
    assert set(field_errors(r.json())) == {"name", "desa_code", "address", "reason", "reporter_name", "reporter_phone"}


def test_self_report_needs_no_reporter(pub: Api) -> None:
    body = {**USUL, "self_report": True, "reporter_name": "", "reporter_phone": ""}
    assert _send(pub, body)["state"] == "RECEIVED"


def test_sanggah_is_stored_and_visible_by_ticket(pub: Api, engine: Engine) -> None:
    out = _send(pub, SANGGAH)
    assert str(out["ticket"]).startswith("S-")
    page = pub.client.get("/publik/lacak", params={"tiket": out["ticket"]})
    assert page.status_code == 200 and "Sanggahan" in page.text and "Diterima, menunggu verifikasi desa" in page.text
    with Session(engine) as s:
        assert s.execute(select(PublicReport.reason_code)).scalar_one() == "mampu"


def test_sanggah_needs_a_reason_from_the_list(pub: Api) -> None:
    r = pub.client.post("/api/v1/public/reports", json={**SANGGAH, "reason_code": "benci"})
    assert r.status_code == 422 and set(field_errors(r.json())) == {"reason_code"}


def test_honeypot_stores_nothing_but_looks_received(pub: Api, engine: Engine) -> None:
    out = _send(pub, {**USUL, "website": "http://spam"})
    assert out["state"] == "RECEIVED"
    assert pub.client.get(f"/api/v1/public/reports/{out['ticket']}").status_code == 404
    with Session(engine) as s:
        assert s.execute(select(PublicReport)).first() is None
        assert s.execute(select(PublicAudit.action)).scalars().all() == ["honeypot"]


def test_photos_are_stored_without_exif(pub: Api, engine: Engine) -> None:
    _send(pub, {**USUL, "photos": [base64.b64encode(JPEG).decode()]})
    with Session(engine) as s:
        photo = s.execute(select(PublicPhoto)).scalar_one()
    assert photo.content_type == "image/jpeg"
    assert b"GPS" not in photo.data and b"Exif" not in photo.data
    assert photo.data.startswith(b"\xff\xd8\xff\xdb") and photo.data.endswith(b"\xff\xd9")


def test_a_photo_that_is_not_an_image_is_refused(pub: Api) -> None:
    r = pub.client.post("/api/v1/public/reports",
                        json={**USUL, "photos": [base64.b64encode(b"MZ not an image").decode()]})
    assert r.status_code == 422 and "Foto ke-1" in field_errors(r.json())["photos"]


def test_the_usul_page_takes_photos_in_a_multipart_form(pub: Api, engine: Engine) -> None:
    r = pub.client.post("/publik/usul", data=USUL, files=[("photos", ("rumah.jpg", JPEG, "image/jpeg"))])
    assert r.status_code == 200 and "Laporan terkirim" in r.text
    with Session(engine) as s:
        assert len(s.execute(select(PublicPhoto)).all()) == 1


def test_reports_per_address_are_limited(pub: Api) -> None:
    pub.client.app.state.public_settings.reports_per_address = 2  # type: ignore[attr-defined]
    codes = [pub.client.post("/api/v1/public/reports", json=USUL).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_unknown_ticket_is_404_in_indonesian(pub: Api) -> None:
    r = pub.client.get("/api/v1/public/reports/U-22222-22222")
    assert r.status_code == 404 and "tidak ditemukan" in r.json()["detail"]
    page = pub.client.get("/publik/lacak", params={"tiket": "ngawur"})
    assert page.status_code == 404 and "Nomor tiket tidak ditemukan" in page.text


def test_purge_deletes_reports_past_retention_with_photos(pub: Api, engine: Engine) -> None:
    old = _send(pub, {**USUL, "photos": [base64.b64encode(JPEG).decode()]})
    new = _send(pub, SANGGAH)
    with Session(engine) as s:
        s.execute(update(PublicReport).where(PublicReport.ticket == old["ticket"])
                  .values(created_at=datetime.now(UTC) - timedelta(days=400)))
        s.commit()
        assert reports.purge(s, 365) == 1
    assert pub.client.get(f"/api/v1/public/reports/{old['ticket']}").status_code == 404
    assert pub.client.get(f"/api/v1/public/reports/{new['ticket']}").status_code == 200
    with Session(engine) as s:
        assert s.execute(select(PublicPhoto)).first() is None
        assert s.execute(select(PublicAudit.action).order_by(PublicAudit.id.desc())).scalars().first() == "reports_purged"  # type: ignore[union-attr]
