"""The five printed documents, built from view models (model.py) into engine.Document blocks.

Pure functions: no Qt painting, no database. Every NIK and KK number goes through
domain.masking.mask_id (design.md §5: anything printed masks the NIK); the public announcement
prints no KK at all, no birth date, no phone and no address beyond dusun/RT/RW.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from desktop_app.printing.engine import (
    Align,
    Block,
    Column,
    Document,
    Fields,
    Heading,
    PageBreak,
    Paragraph,
    Signatures,
    Signer,
    Spacer,
    Table,
)
from desktop_app.printing.model import (
    STATUS_LABELS,
    DecisionBatch,
    Family,
    Letterhead,
    Meeting,
    Person,
    Proposal,
    Status,
)
from domain import criteria as crit
from domain.masking import mask_id

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


class Kind:
    """The document kinds (CLI names)."""

    DELIBERATION = "deliberation"
    MINUTES = "minutes"
    ANNOUNCEMENT = "announcement"
    HOUSEHOLD = "household"
    DECISIONS = "decisions"
    ALL = (DELIBERATION, MINUTES, ANNOUNCEMENT, HOUSEHOLD, DECISIONS)


TITLES = {
    Kind.DELIBERATION: "Daftar Usulan untuk Musyawarah Desa Khusus",
    Kind.MINUTES: "Berita Acara Musyawarah Desa Khusus",
    Kind.ANNOUNCEMENT: "Pengumuman Daftar Usulan Penerima Bantuan Sosial",
    Kind.HOUSEHOLD: "Ringkasan Data Keluarga",
    Kind.DECISIONS: "Daftar Keputusan Verifikasi per Batch",
}


def long_date(d: date) -> str:
    """14 Juli 2025 (month names in Indonesian whatever the OS locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def day_date(d: date) -> str:
    return f"{DAYS[d.weekday()]}, {long_date(d)}"


def period_text(period: str) -> str:
    """'2025-07' -> 'Juli 2025'; '' -> ''."""
    if not period:
        return ""
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def criteria_text(codes: Iterable[str]) -> str:
    return ", ".join(crit.label(c) for c in codes)


def _sex(p: Person) -> str:
    return p.sex if p.sex in ("L", "P") else "-"


def _place_date(lh: Letterhead) -> str:
    return f"{lh.place or lh.desa_name}, {long_date(lh.printed_on or date.today())}"


def _scope_line(lh: Letterhead) -> str:
    parts = [f"{lh.desa_kind} {lh.desa_name}"]
    if lh.period:
        parts.append(f"Periode {period_text(lh.period)}")
    if lh.programme:
        parts.append(f"Program {lh.programme_name(lh.programme)} ({lh.programme})")
    return " · ".join(parts)


def _by_dusun(families: Iterable[Family]) -> dict[str, list[Family]]:
    out: dict[str, list[Family]] = defaultdict(list)
    for f in families:
        out[f.dusun or "(tanpa dusun)"].append(f)
    return dict(sorted(out.items()))


def _target_text(f: Family, p: Proposal) -> str:
    """'keluarga (pengurus: kepala keluarga)' for a household programme, the member's name for a person one."""
    who = "kepala keluarga" if p.recipient.nik == f.head.nik else p.recipient.name
    return f"keluarga (pengurus: {who})" if p.household else who


def _member_lines(f: Family) -> str:
    """The members after the head, one per line: 'Siti Aminah (P)'."""
    return "\n".join(f"{m.name} ({_sex(m)})" for m in f.members[1:]) or "-"


# ------------------------------------------------------------------------------------- (1) deliberation


def _deliberation_blocks(families: Sequence[Family], lh: Letterhead, *, caption: str) -> list[Block]:
    blocks: list[Block] = [
        Heading(caption.upper(), 12),
        Paragraph(_scope_line(lh), 9.5, align=Align.CENTER),
        Paragraph(f"Jumlah: {len(families)} keluarga, {sum(len(f.proposals) for f in families)} usulan. "
                  "NIK ditulis tersamar. Kolom keputusan diisi dengan tangan saat musyawarah "
                  "(beri tanda ✓ pada kolom Setuju atau Tidak untuk setiap usulan).", 8.5, italic=True),
    ]
    cols = (
        Column("No", 0.45, Align.RIGHT), Column("Kepala keluarga / NIK", 2.1), Column("Anggota keluarga", 1.9),
        Column("RT/RW", 0.95, Align.CENTER), Column("Program", 1.1), Column("Diusulkan untuk", 1.5),
        Column("Kriteria", 1.6), Column("Setuju", 0.85), Column("Tidak", 0.75), Column("Catatan", 1.3),
    )
    n = 0
    for dusun, fams in _by_dusun(families).items():
        rows = []
        for f in fams:
            head = f"{f.head.name}\n{mask_id(f.head.nik)}"
            # One row per proposal (each is decided on its own); the head is repeated so a row that
            # starts a page still says whose family it is.
            for k, p in enumerate(f.proposals):
                n += 1
                members = _member_lines(f) if k == 0 else "(keluarga yang sama)"
                who = _target_text(f, p)
                rows.append((str(n), head, members, f.rt_rw, p.programme, who, criteria_text(p.criteria) or "-",
                             "", "", ""))
        blocks.append(Heading(f"Dusun {dusun} ({len(fams)} keluarga, {len(rows)} usulan)", 10.5, Align.LEFT))
        blocks.append(Table(cols, tuple(rows), 7.5, min_row_mm=9))
    return blocks


def deliberation_list(families: Sequence[Family], lh: Letterhead) -> Document:
    """(1) The Musdesus list, per dusun: head, members, programme, criteria, hand-written decision."""
    blocks = _deliberation_blocks(families, lh, caption=TITLES[Kind.DELIBERATION])
    blocks.append(Signatures((Signer("Ketua Musyawarah"), Signer("Operator Desa", lh.operator)),
                             place_date=_place_date(lh)))
    return Document(TITLES[Kind.DELIBERATION], lh.kop, tuple(blocks), footer_note=_scope_line(lh))


# ------------------------------------------------------------------------------------- (2) minutes


def minutes(families: Sequence[Family], meeting: Meeting, lh: Letterhead) -> Document:
    """(2) The draft berita acara, to be signed and scanned back, with the list as its attachment."""
    desa = f"{lh.desa_kind} {lh.desa_name}"
    n_props = sum(len(f.proposals) for f in families)
    progs = sorted({p.programme for f in families for p in f.proposals})
    prog_text = ", ".join(f"{lh.programme_name(c)} ({c})" for c in progs) or "-"
    blank = "." * 30
    opening = (
        f"Pada hari ini, {day_date(meeting.held_on)}, pukul {meeting.started_at or '.' * 10} WIB, bertempat di "
        f"{meeting.place or blank}, telah dilaksanakan Musyawarah {lh.desa_kind} Khusus (Musdesus) {desa} untuk "
        f"membahas dan menetapkan usulan calon penerima bantuan sosial"
        + (f" periode {period_text(lh.period)}" if lh.period else "") + "."
    )
    blocks: list[Block] = [
        Heading(TITLES[Kind.MINUTES].upper(), 12, underline=True),
        Paragraph(f"{desa.upper()}", 10, bold=True, align=Align.CENTER),
        Paragraph(f"Nomor: {'.' * 25}", 10, align=Align.CENTER),
        Spacer(3),
        Paragraph(opening, 10),
        Fields((
            ("Pimpinan musyawarah", meeting.chair or blank),
            ("Notulis / sekretaris", meeting.secretary or blank),
            ("Jumlah yang hadir", f"{meeting.present} orang (daftar hadir terlampir)" if meeting.present
             else f"{'.' * 8} orang (daftar hadir terlampir)"),
            ("Usulan yang dibahas", f"{n_props} usulan dari {len(families)} keluarga"),
            ("Program", prog_text),
        )),
        Paragraph("Setelah membahas setiap usulan sebagaimana tercantum dalam lampiran berita acara ini, "
                  "musyawarah memutuskan:", 10),
        Fields((
            ("Disetujui", f"{'.' * 8} usulan"),
            ("Tidak disetujui", f"{'.' * 8} usulan"),
        ), label_mm=45),
        Paragraph("Usulan yang disetujui dikirim ke kecamatan/kabupaten untuk diverifikasi. Keputusan atas "
                  "setiap usulan tercatat pada kolom keputusan di lampiran. Demikian berita acara ini dibuat "
                  "dengan sebenarnya untuk dipergunakan sebagaimana mestinya.", 10),
        Spacer(2),
        Signatures((
            Signer("Ketua Musyawarah", meeting.chair),
            Signer("Notulis / Sekretaris", meeting.secretary),
            Signer(f"Kepala {desa}", meeting.village_head, caption="Mengetahui,"),
        ), place_date=f"{lh.place or lh.desa_name}, {long_date(meeting.held_on)}"),
        PageBreak(),
        Paragraph(f"Lampiran Berita Acara Musdesus {desa}, {long_date(meeting.held_on)}", 9, bold=True),
    ]
    blocks += _deliberation_blocks(families, lh, caption=TITLES[Kind.DELIBERATION])
    return Document(TITLES[Kind.MINUTES], lh.kop, tuple(blocks), footer_note=f"{desa}, "
                    f"{long_date(meeting.held_on)}")


# ------------------------------------------------------------------------------------- (3) announcement


def announcement(families: Sequence[Family], lh: Letterhead, *, approved_only: bool = False) -> Document:
    """(3) The notice-board list, per programme: name, masked NIK, dusun, RT/RW, status. Nothing else."""
    wanted = {Status.APPROVED} if approved_only else {Status.PROPOSED, Status.APPROVED}
    by_prog: dict[str, list[tuple[Family, Proposal]]] = defaultdict(list)
    for f in families:
        for p in f.proposals:
            if p.status in wanted:
                by_prog[p.programme].append((f, p))
    what = "Penerima yang Disetujui" if approved_only else "Usulan Calon Penerima"
    blocks: list[Block] = [
        Heading(f"PENGUMUMAN DAFTAR {what.upper()} BANTUAN SOSIAL", 12),
        Paragraph(_scope_line(lh), 9.5, align=Align.CENTER),
        Paragraph("Warga yang mengetahui ada keluarga yang layak tetapi belum tercantum, atau keluarga yang "
                  "tercantum tetapi tidak layak, dapat menyampaikan usul atau sanggahan kepada pemerintah "
                  f"{lh.desa_kind.lower()} selama masa pengumuman. NIK ditulis tersamar untuk melindungi data "
                  "pribadi (UU No. 27 Tahun 2022).", 9),
    ]
    cols = (Column("No", 0.5, Align.RIGHT), Column("Nama", 3.0), Column("NIK", 2.1), Column("Dusun", 1.9),
            Column("RT/RW", 0.9, Align.CENTER), Column("Status", 1.2))
    if not by_prog:
        blocks.append(Paragraph("Tidak ada usulan untuk diumumkan.", 10, italic=True))
    for code in sorted(by_prog):
        items = sorted(by_prog[code], key=lambda fp: (fp[0].dusun, fp[0].rw, fp[0].rt, fp[1].recipient.name))
        rows = tuple((str(i), p.recipient.name, mask_id(p.recipient.nik), f.dusun or "-", f.rt_rw,
                      STATUS_LABELS[p.status]) for i, (f, p) in enumerate(items, start=1))
        per_family = any(p.household for _f, p in items)
        blocks.append(Heading(f"{lh.programme_name(code)} ({code}): {len(items)} usulan"
                              + (" (program keluarga; nama pengurusnya)" if per_family else ""),
                              10.5, Align.LEFT))
        blocks.append(Table(cols, rows, 8.5))
    blocks.append(Signatures((Signer(f"Kepala {lh.desa_kind} {lh.desa_name}"),), place_date=_place_date(lh)))
    return Document(TITLES[Kind.ANNOUNCEMENT], lh.kop, tuple(blocks), footer_note=_scope_line(lh))


# ------------------------------------------------------------------------------------- (4) household


def household_sheet(family: Family, lh: Letterhead) -> Document:
    """(4) One family's summary for its own file: members, proposals and where each stands."""
    blocks: list[Block] = [
        Heading(TITLES[Kind.HOUSEHOLD].upper(), 12),
        Fields((
            ("Nomor KK", mask_id(family.kk)),
            ("Kepala keluarga", family.head.name),
            ("Alamat", family.address or "-"),
            ("Dusun / RT / RW", f"{family.dusun or '-'} / {family.rt or '-'} / {family.rw or '-'}"),
            (lh.desa_kind, lh.desa_name),
        )),
        Heading("Anggota keluarga", 10.5, Align.LEFT),
        Table((Column("No", 0.45, Align.RIGHT), Column("Nama", 2.2), Column("NIK", 1.9), Column("L/P", 0.5, Align.CENTER),
               Column("Hubungan", 1.3), Column("Tempat, tanggal lahir", 2.2), Column("Kriteria", 1.9)),
              tuple((str(i), m.name, mask_id(m.nik), _sex(m), m.relation or "-",
                     f"{m.birth_place + ', ' if m.birth_place else ''}{long_date(m.birth_date) if m.birth_date else '-'}",
                     criteria_text(m.criteria) or "-")
                    for i, m in enumerate(family.members, start=1)), 8.5),
        Heading("Usulan bantuan sosial", 10.5, Align.LEFT),
        Table((Column("No", 0.45, Align.RIGHT), Column("Program", 2.4), Column("Penerima", 2.2),
               Column("Dicatat", 1.3), Column("Status", 1.5), Column("Keterangan", 2.6)),
              tuple((str(i), f"{lh.programme_name(p.programme)} ({p.programme})",
                     f"Keluarga (pengurus: {p.recipient.name})" if p.household else p.recipient.name,
                     long_date(p.recorded) if p.recorded else "-", STATUS_LABELS[p.status],
                     "; ".join(x for x in (p.reason, p.note) if x) or "-")
                    for i, p in enumerate(family.proposals, start=1)), 8.5),
        Paragraph("Lembar ini untuk arsip keluarga. Bila ada data yang keliru, sampaikan kepada operator "
                  f"{lh.desa_kind.lower()} dengan membawa KK dan KTP.", 9, italic=True),
        Signatures((Signer("Operator Desa", lh.operator),), place_date=_place_date(lh)),
    ]
    return Document(TITLES[Kind.HOUSEHOLD], lh.kop, tuple(blocks),
                    footer_note=f"KK {mask_id(family.kk)}")


# ------------------------------------------------------------------------------------- (5) decisions


def _when(t: datetime | None) -> str:
    return f"{long_date(t.date())} {t:%H.%M}" if t else "-"


DECISION_LABELS = {**STATUS_LABELS, Status.PROPOSED: "Belum diputuskan"}


def decision_list(batch: DecisionBatch, lh: Letterhead) -> Document:
    """(5) The reviewer's decisions on one batch: each entry's outcome, reason and note."""
    counts = {s: sum(1 for r in batch.rows if r.status == s) for s in Status}
    blocks: list[Block] = [
        Heading(TITLES[Kind.DECISIONS].upper(), 12),
        Fields((
            ("Batch", batch.batch_id),
            ("Desa/kelurahan", batch.desa_name or lh.desa_name),
            ("Operator pengirim", batch.operator or "-"),
            ("Diterima server", _when(batch.received_at)),
            ("Ringkasan", ", ".join(f"{DECISION_LABELS[s]} {counts[s]}" for s in Status)
             + f" (jumlah {len(batch.rows)})"),
        ), label_mm=40),
        Table((Column("No", 0.45, Align.RIGHT), Column("Nama / NIK", 2.6), Column("Program", 1.0),
               Column("Keputusan", 1.4), Column("Alasan", 2.2), Column("Catatan", 2.4)),
              tuple((str(i), f"{r.name}\n{mask_id(r.nik)}", r.programme, DECISION_LABELS[r.status], r.reason or "-",
                     r.note or "-") for i, r in enumerate(batch.rows, start=1)), 8.5),
        Signatures((Signer("Peninjau Kecamatan", batch.reviewer),), place_date=_place_date(lh)),
    ]
    return Document(TITLES[Kind.DECISIONS], lh.kop, tuple(blocks),
                    footer_note=f"Batch {batch.batch_id[:8]}")
