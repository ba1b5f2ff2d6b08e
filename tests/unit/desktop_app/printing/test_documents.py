"""Each printed document, written to PDF offscreen and read back with pdftotext (poppler-utils)."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.context import AppContext
from desktop_app.printing import service
from desktop_app.printing.documents import decision_list
from desktop_app.printing.engine import Paper, write_pdf
from desktop_app.printing.model import Meeting
from desktop_app.printing.source import decision_batch
from desktop_app.review.views import ProposalView, proposal_view
from domain.masking import mask_id
from tests.support.seed import demo_rows
from tests.unit.desktop_app.printing.conftest import page_count, pdf_bytes_inflated, pdf_text

pytestmark = pytest.mark.usefixtures("qgui")
KOP = ("PEMERINTAH KABUPATEN BELITUNG", "KECAMATAN TANJUNGPANDAN", "DESA BULUH TUMBANG")
MEETING = Meeting(date(2025, 7, 14), "Balai Desa Buluh Tumbang", "Suhardi", "Nur Hasanah", "H. Abdullah", 42)


def _flat(s: str) -> str:
    return " ".join(s.split())


def _rows(ctx: AppContext, where: str) -> list[dict[str, str]]:
    """Each proposal with its recipient (a household programme's pengurus, a person programme's member),
    straight from the tables (not through the print provider), to check the provider against."""
    with ctx.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(text(
            "SELECT m.name, m.nik, h.kk, p.programme, p.review_state FROM proposals p "
            "JOIN members m ON m.record_id = coalesce(nullif(p.member_id, ''), p.pengurus_id) "
            f"JOIN households h ON h.record_id = m.household_id WHERE p.deleted = 0 AND {where}"))]


PROPOSED = "(review_state IS NULL OR review_state = 'PENDING')"


def _print(ctx: AppContext, tmp_path: Path, kind: str, **kw: object) -> tuple[Path, str]:
    out = tmp_path / f"{kind}.pdf"
    res = service.print_pdf(ctx, service.PrintRequest(kind, **kw), out)  # type: ignore[arg-type]
    assert out.is_file() and res.pages == page_count(out)
    return out, pdf_text(out)


def _assert_page_numbers(path: Path, body: str) -> None:
    n = page_count(path)
    for i in range(1, n + 1):
        assert f"Halaman {i} dari {n}" in body


def test_deliberation_list_has_kop_heading_every_proposed_family_and_decision_columns(
        demo_ctx: AppContext, tmp_path: Path) -> None:
    path, body = _print(demo_ctx, tmp_path, "deliberation")
    flat = _flat(body)
    for line in KOP:
        assert line in body
    assert "DAFTAR USULAN UNTUK MUSYAWARAH DESA KHUSUS" in body
    assert all(w in flat for w in ("Setuju", "Tidak", "Catatan", "Kepala keluarga", "Anggota"))
    proposed = _rows(demo_ctx, PROPOSED)
    assert len(proposed) > 10
    for r in proposed:
        assert r["name"] in flat
        assert r["nik"] not in body  # masked here too (design.md §5)
    for r in _rows(demo_ctx, "review_state IN ('APPROVED', 'REJECTED')"):
        # Decided ones are not on the meeting's list, unless the same family has another open proposal.
        if r["name"] in flat:
            assert r["kk"] in {p["kk"] for p in proposed}
    assert "Dusun Air Serkuk" in flat and "Dusun Teluk Gembira" in flat
    # A household programme is the family's, with its pengurus; a person programme names the member.
    assert "keluarga (pengurus: kepala keluarga)" in flat
    assert "PBI-JK Muhammad Rizki" in flat
    _assert_page_numbers(path, body)


def test_minutes_carry_the_meeting_signatures_and_the_list_attached(demo_ctx: AppContext, tmp_path: Path) -> None:
    path, body = _print(demo_ctx, tmp_path, "minutes", meeting=MEETING)
    flat = _flat(body)
    assert "BERITA ACARA MUSYAWARAH DESA KHUSUS" in body
    assert "Senin, 14 Juli 2025" in flat and "Balai Desa Buluh Tumbang" in flat
    assert "42 orang" in flat
    for who in ("Ketua Musyawarah", "Notulis / Sekretaris", "Kepala Desa Buluh Tumbang", "Suhardi", "Nur Hasanah",
                "H. Abdullah"):
        assert who in flat
    assert "Lampiran Berita Acara" in flat
    attachment = "\n".join(pdf_text(path, page=p) for p in range(2, page_count(path) + 1))
    for r in _rows(demo_ctx, PROPOSED):
        assert r["name"] in _flat(attachment)
    _assert_page_numbers(path, body)


def test_announcement_lists_proposed_and_approved_with_masked_nik_only(demo_ctx: AppContext, tmp_path: Path) -> None:
    path, body = _print(demo_ctx, tmp_path, "announcement")
    flat = _flat(body)
    assert "PENGUMUMAN DAFTAR USULAN CALON PENERIMA BANTUAN SOSIAL" in body
    shown = _rows(demo_ctx, "(review_state IS NULL OR review_state IN ('PENDING', 'APPROVED'))")
    for r in shown:
        assert r["name"] in flat
        assert mask_id(r["nik"]) in body
    for r in _rows(demo_ctx, "review_state = 'REJECTED'"):
        assert r["name"] not in flat
    assert "Disetujui" in flat and "Diusulkan" in flat
    assert "(PKH):" in flat and "program keluarga; nama pengurusnya" in flat
    _assert_page_numbers(path, body)

    # Nothing that identifies beyond name + dusun/RT/RW, neither in the text nor in the file's bytes.
    raw = pdf_bytes_inflated(path)
    for row in demo_rows():
        born = date.fromisoformat(str(row["birth_date"]))
        secrets = [str(row["nik"]), str(row["kk"]), mask_id(str(row["kk"])), born.isoformat(),
                   born.strftime("%d-%m-%Y"), born.strftime("%d/%m/%Y"), str(row["address"])]
        if row["phone"]:
            secrets.append(str(row["phone"]))
        for s in secrets:
            assert s not in body, s
            assert s.encode() not in raw, s
    assert not re.search(r"\b\d{16}\b", body)  # no full 16-digit number of any kind
    for month in ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                  "Oktober", "November", "Desember"):
        # The only date printed is the signing date under the list.
        assert flat.count(month) <= 1


def test_announcement_of_approved_only(demo_ctx: AppContext, tmp_path: Path) -> None:
    _, body = _print(demo_ctx, tmp_path, "announcement", approved_only=True)
    flat = _flat(body)
    assert "PENERIMA YANG DISETUJUI" in body
    for r in _rows(demo_ctx, "review_state = 'APPROVED'"):
        assert r["name"] in flat
    for r in _rows(demo_ctx, "review_state IS NULL"):
        assert r["name"] not in flat


def test_household_sheet_shows_the_family_and_where_each_proposal_stands(demo_ctx: AppContext, tmp_path: Path) -> None:
    kk = str(demo_rows()[0]["kk"])
    path, body = _print(demo_ctx, tmp_path, "household", kk=kk)
    flat = _flat(body)
    assert "RINGKASAN DATA KELUARGA" in body
    assert mask_id(kk) in body and kk not in body
    for r in _rows(demo_ctx, f"kk = '{kk}'"):
        assert r["name"] in flat and mask_id(r["nik"]) in body
    assert "Ahmad Fauzi" in flat and "9 Mei 1978" in flat  # the family's own file keeps birth dates
    assert "Disetujui" in flat and "Program Keluarga Harapan (PKH)" in flat
    assert "Kepala Keluarga" in flat and "Istri" in flat and "Anak" in flat  # relations as on the KK
    assert "Keluarga (pengurus: Ahmad Fauzi)" in flat
    _assert_page_numbers(path, body)


def _view(i: int, state: str, reason: str | None = None, note: str | None = None) -> ProposalView:
    """A reviewed PKH proposal of a one-person family, as the review workspace holds it."""
    from tests.support.review_families import family, wire_proposal

    fam = family("1902012003", i, size=1, head_name=f"Warga {chr(65 + i)}", head_nik=f"190201090578{i:04d}",
                 kk="1902011403123100")
    return proposal_view(wire_proposal(fam, review_state=state, review_reason_code=reason, review_note=note,
                                       desa_name="Buluh Tumbang", batch_id="b-0001"))


def test_decision_list_of_one_batch(qgui: object, tmp_path: Path) -> None:
    from desktop_app.printing.model import Letterhead

    views = [_view(1, "APPROVED"), _view(2, "REJECTED", "R04"), _view(3, "RETURNED", None, "Foto KK buram"),
             _view(4, "PENDING")]
    batch = decision_batch("b-0001", views, reviewer="tksk.tanjungpandan")
    lh = Letterhead(kop=KOP, desa_name="Buluh Tumbang", printed_on=date(2025, 7, 20))
    out = tmp_path / "decisions.pdf"
    pages = write_pdf(decision_list(batch, lh), out)
    body = pdf_text(out)
    flat = _flat(body)
    assert pages == page_count(out) == 1
    assert "DAFTAR KEPUTUSAN VERIFIKASI PER BATCH" in body and "b-0001" in flat
    for v in views:
        assert v.name in flat and mask_id(v.nik) in body and v.nik not in body
    assert "Satu KK sudah menerima program ini" in flat  # R04's text
    assert "Foto KK buram" in flat
    assert "Belum diputuskan 1, Disetujui 1, Ditolak 1, Dikembalikan untuk perbaikan 1" in flat
    assert "tksk.tanjungpandan" in flat and "Halaman 1 dari 1" in body


# ------------------------------------------------------------------------------------- 300 families


def _expected_pages(rows: int, rows_per_page_low: float, rows_per_page_high: float) -> range:
    return range(math.ceil(rows / rows_per_page_high), math.ceil(rows / rows_per_page_low) + 2)


@pytest.mark.slow
def test_300_family_announcement_page_count_is_stable_and_no_row_is_cut(big_ctx: AppContext, tmp_path: Path) -> None:
    a = tmp_path / "a.pdf"
    b = tmp_path / "b.pdf"
    req = service.PrintRequest("announcement", printed_on=date(2025, 7, 20))
    first = service.print_pdf(big_ctx, req, a)
    again = service.print_pdf(big_ctx, req, b)
    assert first.items == 300
    assert first.pages == again.pages == page_count(a)
    # 900 one-line rows of ~5.5 mm on 259 mm of A4 body (minus kop, headings, signature): 40-50 a page.
    assert first.pages in _expected_pages(900, 40, 50), first.pages
    f4 = service.print_pdf(big_ctx, service.PrintRequest("announcement", paper=Paper.F4), tmp_path / "f4.pdf")
    assert f4.pages < first.pages  # a taller sheet holds more rows

    names_seen: dict[str, int] = {}
    for p in range(1, first.pages + 1):
        page = pdf_text(a, page=p, layout=True)
        assert f"Halaman {p} dari {first.pages}" in page
        has_rows = re.search(r"\d{6}\*{6}\d{4}", page)
        header = re.search(r"No\s+Nama\s+NIK\s+Dusun\s+RT/RW\s+Status", page)
        assert header or not has_rows, f"header row missing on page {p}"
        for line in page.splitlines():
            m = re.match(r"\s*(\d+)\s+(.+?)\s{2,}(\d{6}\*{6}\d{4})\s", line)
            if m:  # a whole row: number, name and masked NIK on one line
                names_seen[m.group(3)] = names_seen.get(m.group(3), 0) + 1
    assert len(names_seen) == 900 and set(names_seen.values()) == {1}


@pytest.mark.slow
def test_300_family_deliberation_list_keeps_each_row_on_one_page(big_ctx: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "d.pdf"
    res = service.print_pdf(big_ctx, service.PrintRequest("deliberation"), out)
    assert res.items == 300 and res.pages == page_count(out)
    # Rows for handwriting are at least 9 mm: at most ~28 rows on a page; two-line rows ~ 9-12 mm.
    assert res.pages in _expected_pages(900, 18, 28), res.pages
    pages = [pdf_text(out, page=p) for p in range(1, res.pages + 1)]
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {res.pages}" in page
        assert "Kepala keluarga" in page  # the header row repeats on every page
    # A row is never cut: the head's name and masked NIK (two lines of one cell) are on the same page.
    with big_ctx.engine.connect() as c:
        heads = c.execute(text("SELECT name, nik FROM members WHERE relation = 'kepala_keluarga'")).all()
    for name, nik in heads[::17]:
        on = [i for i, page in enumerate(pages) if mask_id(nik) in page]
        assert on and all(name in _flat(pages[i]) for i in on), name


def test_the_printer_path_paints_the_same_document(demo_ctx: AppContext, tmp_path: Path) -> None:
    """What QPrintDialog hands over is a QPrinter; here one that writes PDF, so the pages can be read."""
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.printing.engine import page_layout

    out = tmp_path / "printer.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageLayout(page_layout(Paper.F4))
    res = service.print_to(demo_ctx, service.PrintRequest("deliberation", paper=Paper.F4), printer)
    del printer
    assert res.pages == page_count(out)
    body = pdf_text(out)
    assert "DAFTAR USULAN UNTUK MUSYAWARAH DESA KHUSUS" in body and f"Halaman 1 dari {res.pages}" in body
