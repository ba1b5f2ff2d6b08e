"""`bansos print KIND --out FILE.pdf [...]`: the printed documents as PDF, for scripts.

KIND: deliberation (Musdesus list), minutes (berita acara + list), announcement (notice board),
household (--kk), decisions (--batch; needs the reviewer session kept on this PC), and `kop` to
show or set the letterhead (`bansos print kop --set "BARIS 1|BARIS 2"`).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.commands.common import EXIT_OK, EXIT_REJECTED, CommandError, open_context, run_guarded

KINDS = ("deliberation", "minutes", "announcement", "household", "decisions")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "print", help="cetak dokumen ke PDF (daftar musdesus, berita acara, pengumuman, keluarga, keputusan)",
        description="Cetak dokumen ke berkas PDF. JENIS: deliberation (daftar usulan untuk Musdesus), minutes "
        "(berita acara + lampiran), announcement (pengumuman papan desa, NIK tersamar), household (ringkasan "
        "satu keluarga, perlu --kk), decisions (keputusan verifikasi satu batch, perlu --batch), atau kop "
        "(lihat/ubah kop surat).")
    p.add_argument("kind", metavar="JENIS", help=" | ".join((*KINDS, "kop")))
    p.add_argument("--out", type=Path, default=None, help="berkas PDF tujuan")
    p.add_argument("--period", default=None, help="periode TTTT-BB, misalnya 2025-07 (bawaan: semua)")
    p.add_argument("--programme", "--program", dest="programme", default=None, help="hanya satu program")
    p.add_argument("--paper", default="a4", help="ukuran kertas: a4 atau f4 (folio 215 × 330 mm)")
    p.add_argument("--kk", default=None, help="nomor KK (untuk household)")
    p.add_argument("--batch", default=None, help="nomor batch (untuk decisions)")
    p.add_argument("--approved-only", action="store_true", help="pengumuman: hanya yang sudah disetujui")
    p.add_argument("--date", dest="meeting_date", default=None, help="tanggal musyawarah TTTT-BB-HH (minutes)")
    p.add_argument("--place", default="", help="tempat musyawarah (minutes)")
    p.add_argument("--chair", default="", help="nama pimpinan musyawarah (minutes)")
    p.add_argument("--secretary", default="", help="nama notulis (minutes)")
    p.add_argument("--head", default="", help="nama kepala desa (minutes)")
    p.add_argument("--present", type=int, default=0, help="jumlah yang hadir (minutes)")
    p.add_argument("--set", dest="kop_text", default=None, help="kop: baris-baris kop dipisah '|' (kosong: bawaan)")
    p.set_defaults(func=lambda a: run_guarded(run_print, a))


def _meeting(args: argparse.Namespace) -> Any:
    from desktop_app.printing.model import Meeting

    if args.kind != "minutes":
        return None
    if not args.meeting_date:
        raise CommandError("Tanggal musyawarah (--date) wajib diisi untuk berita acara, misalnya 2025-07-14.",
                           EXIT_REJECTED)
    try:
        held = date.fromisoformat(args.meeting_date)
    except ValueError:
        raise CommandError(f"Tanggal musyawarah (--date) '{args.meeting_date}' tidak dikenali; tulis seperti "
                           "2025-07-14.", EXIT_REJECTED) from None
    if args.present < 0:
        raise CommandError("Jumlah yang hadir (--present) tidak boleh negatif.", EXIT_REJECTED)
    return Meeting(held, args.place.strip(), args.chair.strip(), args.secretary.strip(), args.head.strip(),
                   args.present)


def run_print(args: argparse.Namespace) -> int:
    from desktop_app.printing import service, settings
    from desktop_app.printing.engine import Paper, PrintError

    kind = args.kind.strip().lower()
    if kind == "kop":
        with open_context(args) as ctx:
            lines = settings.save_kop(ctx, args.kop_text) if args.kop_text is not None else settings.kop_lines(ctx)
        print("\n".join(lines))
        return EXIT_OK
    if kind not in KINDS:
        raise CommandError(f"Jenis dokumen '{args.kind}' tidak dikenal. Pilihan: {', '.join(KINDS)}, kop.",
                           EXIT_REJECTED)
    try:
        paper = Paper(args.paper.strip().lower())
    except ValueError:
        raise CommandError(f"Ukuran kertas (--paper) '{args.paper}' tidak dikenal. Pilihan: a4, f4.",
                           EXIT_REJECTED) from None
    if args.out is None:
        raise CommandError("Berkas tujuan (--out) wajib diisi, misalnya --out daftar.pdf.", EXIT_REJECTED)
    req = service.PrintRequest(kind, paper, args.period, args.programme, args.kk, args.batch, _meeting(args),
                               args.approved_only)
    _ensure_qt()
    with open_context(args) as ctx:
        try:
            result = service.print_pdf(ctx, req, args.out)
        except PrintError as exc:
            raise CommandError(str(exc), EXIT_REJECTED) from exc
    print(f"Tersimpan: {result.path} ({result.pages} halaman, {result.items} "
          f"{'baris' if kind == 'decisions' else 'keluarga'}).")
    return EXIT_OK


def _ensure_qt() -> None:
    """Fonts and painting need a Qt application object; a headless one is enough.

    A QApplication (not a bare QGuiApplication), so that a GUI started later in the same process
    (tests, `bansos gui`) still finds the kind of application its widgets need.
    """
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        import os
        import sys

        from PySide6.QtWidgets import QApplication

        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server or a cron job: no display
        _apps.append(QApplication(["bansos"]))


_apps: list[Any] = []
