"""The /publik/ pages: small, Indonesian, no script, and the region picker works one GET a level."""

from __future__ import annotations

import re

import pytest

from tests.support.public_seed import DESA
from tests.support.serverapp import Api

PAGES = ["/publik/", "/publik/cek", "/publik/usul", "/publik/sanggah", "/publik/lacak",
         f"/publik/usul?wilayah={DESA}", f"/publik/sanggah?wilayah={DESA}", "/publik/usul?wilayah=19",
         "/publik/usul?wilayah=1902", "/publik/usul?wilayah=190201"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_small_indonesian_and_without_script(pub: Api, path: str) -> None:
    r = pub.client.get(path)
    assert r.status_code == 200
    assert len(r.content) < 50_000, f"{path}: {len(r.content)} bytes"
    assert '<html lang="id">' in r.text and "<script" not in r.text.lower()


def test_the_picker_walks_from_province_to_desa(pub: Api) -> None:
    start = pub.client.get("/publik/usul").text
    assert "Pilih provinsi" in start and 'value="19"' in start and 'name="desa_code"' not in start
    kec = pub.client.get("/publik/usul?wilayah=190201").text
    assert "Pilih desa/kelurahan" in kec and f'value="{DESA}"' in kec
    chosen = pub.client.get(f"/publik/usul?wilayah={DESA}").text
    assert f'name="desa_code" value="{DESA}"' in chosen and "Belitung" in chosen
    # Garbage in the query is treated as nothing chosen, not an error.
    assert "Pilih provinsi" in pub.client.get("/publik/usul?wilayah=zz").text


def test_a_sanggah_sent_from_the_page_shows_its_ticket(pub: Api) -> None:
    r = pub.client.post("/publik/sanggah", data={
        "desa_code": DESA, "name": "Pak Kaya", "reason_code": "meninggal", "reason": "Meninggal bulan Maret lalu",
        "reporter_name": "Tetangga", "reporter_phone": "0812 3456 7890", "website": ""})
    assert r.status_code == 200 and "Laporan terkirim" in r.text
    ticket = re.search(r'id="tiket">([A-Z0-9-]+)<', r.text)
    assert ticket and ticket.group(1).startswith("S-")
    assert "Pak Kaya" not in r.text  # the ticket page repeats no one's name


def test_the_root_redirects_to_the_menu(pub: Api) -> None:
    r = pub.client.get("/publik", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/publik/"


def test_the_region_tree_as_json_one_level_at_a_time(pub: Api) -> None:
    provinces = pub.client.get("/api/v1/public/regions").json()
    assert {"code": "19", "name": "Kepulauan Bangka Belitung", "level": "provinsi"} in provinces
    desa = pub.client.get("/api/v1/public/regions", params={"parent": "19.02.01"}).json()
    assert any(d["code"] == DESA and d["level"] == "desa/kelurahan" for d in desa)
    assert pub.client.get("/api/v1/public/regions", params={"parent": DESA}).json() == []
    r = pub.client.get("/api/v1/public/regions", params={"parent": "99"})
    assert r.status_code == 404 and "tidak dikenal" in r.json()["detail"]
    assert pub.client.get("/api/v1/public/regions", params={"induk": "19"}).status_code == 422  # unknown parameter
