"""`bansos check-nik NIK [NIK...] [--json]`: decode and check NIKs without touching the store."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop_app.commands.common import EXIT_FAILED, EXIT_OK, CommandError, print_json, run_guarded
from domain.entry import parse_date
from domain.idnumbers import SEX_NAMES, IdNumber, parse_nik


def register(sub: Any) -> None:
    p = sub.add_parser("check-nik", help="periksa dan uraikan NIK (tanpa menyimpan)",
                       description="Periksa NIK: wilayah, tanggal lahir, jenis kelamin, nomor urut.")
    p.add_argument("nik", nargs="+", metavar="NIK")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--birth-date", default=None, help="tanggal lahir yang tertulis (dibandingkan dengan NIK)")
    p.add_argument("--sex", default=None, choices=["L", "P", "l", "p"], help="jenis kelamin yang tertulis")
    p.add_argument("--kabkota", default=None, help="kode kabupaten/kota operator (peringatan bila NIK dari luar)")
    p.set_defaults(func=lambda a: run_guarded(run, a))


def describe(n: IdNumber, today: date | None = None) -> dict[str, Any]:
    d = n.to_dict()
    likely = n.likely_date(today) if n.valid else None
    d["likely_birth_date"] = likely.isoformat() if likely else None
    d["sex_name"] = SEX_NAMES.get(n.sex or "")
    return d


def line(n: IdNumber, today: date | None = None) -> str:
    shown = n.digits or n.raw
    if not n.valid:
        text = f"{shown}: NIK tidak valid — " + " ".join(i.message for i in n.errors)
    else:
        r = n.region
        kec = f"Kec. {r.kecamatan_name}" if r.kecamatan_name else f"kecamatan {r.kecamatan_code} (tidak dikenal)"
        kab = r.kabkota_name or f"kab/kota {r.kabkota_code} (tidak dikenal)"
        likely = n.likely_date(today)
        when = f"lahir {n.date_text}" + (f" (kemungkinan {likely:%d-%m-%Y}; abad tidak tercatat di NIK)" if likely else "")
        text = (f"{shown}: NIK valid — {r.province_name}, {kab}, {kec}; {when}; "
                f"{SEX_NAMES.get(n.sex or '', '?')}; nomor urut {n.serial}")
    if n.warnings:
        text += " | Peringatan: " + " ".join(i.message for i in n.warnings)
    return text


def run(args: argparse.Namespace) -> int:
    typed = None
    if args.birth_date:
        typed = parse_date(args.birth_date)
        if typed is None:
            raise CommandError(f"Tanggal lahir (--birth-date) '{args.birth_date}' tidak dikenali; tulis seperti 1985-08-17.",
                               2)
    results = [parse_nik(raw, typed_birth_date=typed, typed_sex=(args.sex or None),
                         operator_kabkota=args.kabkota) for raw in args.nik]
    if args.json:
        print_json([describe(n) for n in results])
    else:
        for n in results:
            print(line(n))
    return EXIT_OK if all(n.valid for n in results) else EXIT_FAILED
