"""The citizen's pages in a real headless Chromium (JavaScript off: they must work without it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import requests

from tests.support.public_server import Pair, People, public_server
from tests.support.serverproc import ServerProcess


def _check(page: Any, url: str, pair: Pair) -> str:
    page.goto(f"{url}/publik/cek")
    page.fill("#nik", pair.nik)
    page.fill("#kk", pair.kk)
    page.click("button[type=submit]")
    return str(page.inner_text("main"))


def _pick_desa(page: Any, digits: str) -> None:
    """Province, kabupaten, kecamatan, desa: one select and one 'Pilih' per level."""
    for width in (2, 4, 6, 10):
        page.select_option("#wilayah", digits[:width])
        page.click("button.small")
    assert page.input_value("input[name=desa_code]") == digits


def test_a_self_check_finds_the_person(page: Any, site: tuple[ServerProcess, People]) -> None:
    srv, people = site
    text = _check(page, srv.url, people.found)
    assert "Data ditemukan" in text
    assert re.search(r"Program Keluarga Harapan\s+Disetujui", text)
    assert re.search(r"Penerima Bantuan Iuran Jaminan Kesehatan\s+Ditolak: Tidak memenuhi kriteria program", text)
    assert "Belitung" in text
    assert people.found.nik not in page.content() and people.found.kk not in page.content()


def test_the_three_not_found_cases_show_the_same_page(page: Any, site: tuple[ServerProcess, People]) -> None:
    srv, people = site
    texts = [_check(page, srv.url, pair) for pair in (people.wrong_kk, people.unknown, people.no_proposal)]
    assert texts[0] == texts[1] == texts[2]
    assert "Data tidak ditemukan" in texts[0] and "Program" not in texts[0]


def test_a_nik_is_locked_out_across_both_workers(page: Any, site: tuple[ServerProcess, People]) -> None:
    srv, _ = site
    target = Pair("1902014101700005", "1902011203100009")
    # Five checks on new connections, so the kernel hands them to either worker process.
    for _ in range(5):
        r = requests.post(f"{srv.url}/api/v1/public/status", json={"nik": target.nik, "kk": target.kk},
                          headers={"Connection": "close"}, timeout=30)
        assert r.status_code == 200
    text = _check(page, srv.url, target)
    assert "Coba lagi nanti" in text and "Terlalu banyak permintaan" in text
    assert "ditemukan" not in text  # nothing about the NIK itself
    for _ in range(4):
        r = requests.post(f"{srv.url}/api/v1/public/status", json={"nik": target.nik, "kk": target.kk},
                          headers={"Connection": "close"}, timeout=30)
        assert r.status_code == 429


def test_a_usul_about_a_recipient_is_closed_automatically(page: Any, site: tuple[ServerProcess, People]) -> None:
    srv, people = site
    page.goto(f"{srv.url}/publik/usul")
    _pick_desa(page, "1902012003")
    page.fill("#nik", people.recipient_nik)
    page.fill("#name", "Ani")
    page.fill("#address", "Dusun I RT 01 RW 02, dekat masjid")
    page.fill("#reason", "Lansia, suami sudah meninggal, tidak bekerja")
    page.fill("#reporter_name", "Rahmat")
    page.fill("#reporter_phone", "081234567890")
    page.click("form[method=post] button[type=submit]")
    text = page.inner_text("main")
    assert "Laporan terkirim" in text and "Ditutup otomatis" in text
    assert "sudah tercatat sebagai penerima bantuan" in text
    assert "PKH" not in text and "Keluarga Harapan" not in text  # someone else's programme is not named
    ticket = page.inner_text("#tiket")
    assert ticket.startswith("U-")


def test_an_invalid_nik_is_refused_on_the_form(page: Any, site: tuple[ServerProcess, People]) -> None:
    srv, _ = site
    page.goto(f"{srv.url}/publik/usul?wilayah=1902012003")
    page.fill("#nik", "1902011313850001")  # month 13
    page.fill("#name", "Sarmini")
    page.fill("#address", "Dusun II RT 03")
    page.fill("#reason", "Janda, tiga anak sekolah, rumah bocor")
    page.check("input[name=self_report]")
    page.click("form[method=post] button[type=submit]")
    text = page.inner_text("main")
    assert "Laporan belum terkirim" in text and "NIK: bulan lahir '13' tidak mungkin (01-12)." in text
    assert page.input_value("#name") == "Sarmini"


def test_a_sanggah_is_stored_with_its_ticket_and_visible_by_lacak(page: Any,
                                                                  site: tuple[ServerProcess, People]) -> None:
    srv, _ = site
    page.goto(f"{srv.url}/publik/sanggah?wilayah=1902012003")
    page.fill("#name", "Pak Kaya")
    page.select_option("#reason_code", "mampu")
    page.fill("#reason", "Sudah membuka toko bangunan dan punya mobil")
    page.fill("#reporter_name", "Warga RT 02")
    page.fill("#reporter_phone", "081298765432")
    page.click("form[method=post] button[type=submit]")
    ticket = page.inner_text("#tiket")
    assert ticket.startswith("S-")
    page.goto(f"{srv.url}/publik/lacak")
    page.fill("#tiket", ticket.lower())
    page.click("button[type=submit]")
    text = page.inner_text("main")
    assert "Perkembangan laporan" in text and ticket in text and "Sanggahan" in text
    assert "Diterima, menunggu verifikasi desa" in text
    api = requests.get(f"{srv.url}/api/v1/public/reports/{ticket}", timeout=30).json()
    assert api["kind"] == "sanggah" and api["state"] == "RECEIVED"


def test_the_server_log_holds_no_nik_kk_or_name(page: Any, tmp_path: Path) -> None:
    srv, people = public_server(tmp_path, access_log=True)
    try:
        _check(page, srv.url, people.found)
        page.goto(f"{srv.url}/publik/usul?wilayah=1902012003")
        page.fill("#nik", "1902016002900007")
        page.fill("#name", "Wagiyem Lestari")
        page.fill("#address", "Dusun III RT 04")
        page.fill("#reason", "Buruh tani, suami sakit menahun")
        page.check("input[name=self_report]")
        page.click("form[method=post] button[type=submit]")
        assert "Laporan terkirim" in page.inner_text("main")
    finally:
        srv.stop()
    log = srv.log_text()
    assert '"POST /publik/usul HTTP/1.1" 200' in log and '"POST /publik/cek HTTP/1.1" 200' in log  # it logs requests
    for secret in (people.found.nik, people.found.kk, "1902016002900007", "Wagiyem", "Siti Aminah"):
        assert secret not in log


def test_a_usul_verified_in_the_village_shows_its_outcome_by_lacak(page: Any, site: tuple[ServerProcess, People],
                                                                  tmp_path: Path) -> None:
    """Stage 2: the usul sent from the form reaches the village app on its sync, becomes a proposal there,
    and after the next sync the citizen's lacak page shows the village's outcome."""
    from desktop_app.services.citizen_reports import CitizenReportService
    from desktop_app.services.households import HouseholdService
    from tests.support.sync_env import Village

    srv, _ = site
    page.goto(f"{srv.url}/publik/usul?wilayah=1902012003")
    page.fill("#name", "Sarmini Wati")
    page.fill("#address", "Dusun II RT 03, rumah papan di ujung gang")
    page.fill("#reason", "Janda lansia, tinggal sendiri, tidak bekerja")
    page.fill("#reporter_name", "Rahmat")
    page.fill("#reporter_phone", "081234567890")
    page.click("form[method=post] button[type=submit]")
    ticket = page.inner_text("#tiket")
    srv.create_user("op1", "operator", "1902012003")
    village = Village.create(tmp_path / "desa", srv.url, "op1")
    try:
        assert village.sync().error is None
        hh = HouseholdService(village.engine, operator="op1", device_id=village.ctx.device_id or "",
                              desa_code="1902012003")
        queue = CitizenReportService(village.engine, hh)
        assert ticket in [r.ticket for r in queue.reports()]  # beside the module's earlier sanggah
        queue.make_proposal(ticket, {"kk": "1902011507150097", "address": "Dusun II RT 03", "rt": "3", "rw": "1"},
                            {"nik": "1902015507600097", "name": "Sarmini Wati", "birth_date": "15-07-1960",
                             "sex": "P", "relation": "kepala_keluarga"}, "PKH",
                            "Sudah dikunjungi: layak, diusulkan desa untuk PKH.")
        assert village.sync().error is None
    finally:
        village.close()
    page.goto(f"{srv.url}/publik/lacak")
    page.fill("#tiket", ticket)
    page.click("button[type=submit]")
    text = page.inner_text("main")
    assert "Layak, sudah diusulkan oleh desa" in text
    assert "Sudah dikunjungi: layak, diusulkan desa untuk PKH." in text
