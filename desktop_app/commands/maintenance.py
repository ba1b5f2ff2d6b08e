"""`bansos backup`, `bansos restore`, `bansos doctor`, `bansos provision`: IT staff's commands."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from desktop_app import paths, store_key
from desktop_app.backup import check_restorable, make_backup, restore_backup, summarize
from desktop_app.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    cli_passphrase,
    open_context,
    run_guarded,
    show_recovery_code,
)
from desktop_app.doctor import SERVER_TIMEOUT_S, format_report, has_failures, run_doctor
from desktop_app.provisioning import import_provisioning


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup",
        help="cadangkan basis data lokal ke sebuah file",
        description="Salin basis data lokal (aman walau aplikasi sedang dipakai) ke FILE; "
        "bila FILE sebuah folder, nama file dibuat otomatis.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=lambda a: run_guarded(run_backup, a))

    p = sub.add_parser(
        "restore",
        help="pulihkan basis data lokal dari file cadangan",
        description="Ganti isi basis data lokal dengan FILE cadangan. Salinan pengaman basis data "
        "sekarang disimpan dulu di folder backups. Cadangan dari desa lain atau dari "
        "versi aplikasi yang lebih baru ditolak.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--ya", "--yes", dest="yes", action="store_true", help="jangan minta konfirmasi")
    p.set_defaults(func=lambda a: run_guarded(run_restore, a))

    p = sub.add_parser(
        "doctor",
        help="periksa kesehatan instalasi (tanpa data pribadi)",
        description="Laporan untuk petugas IT: basis data, antrean kirim, sinkron terakhir, "
        "penyimpan sandi, koneksi dan selisih jam dengan server.",
    )
    p.add_argument("--tanpa-server", "--offline", dest="offline", action="store_true", help="jangan hubungi server")
    p.add_argument("--timeout", type=float, default=SERVER_TIMEOUT_S, help="batas waktu koneksi server (detik)")
    p.set_defaults(func=lambda a: run_guarded(run_doctor_cmd, a))

    p = sub.add_parser(
        "provision",
        help="impor file provisioning dari petugas IT",
        description="Impor file provisioning (dibuat dengan `bansos-server provision`): alamat "
        "server, desa, dan sertifikat CA bila ada. Setelah itu operator tinggal login.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=lambda a: run_guarded(run_provision, a))

    p = sub.add_parser(
        "buka-kunci",
        help="buka basis data terenkripsi dengan kunci pemulihan (komputer/akun baru)",
        description="Untuk petugas IT: masukkan kunci pemulihan yang dicatat saat provisioning. Kunci "
        "basis data lalu disimpan di penyimpan kunci komputer ini, sehingga aplikasi terbuka seperti biasa.",
    )
    p.add_argument("--kunci-pemulihan", dest="recovery", metavar="KUNCI",
                   help=f"kunci pemulihan (atau variabel {store_key.RECOVERY_ENV}; bila kosong ditanyakan)")
    p.set_defaults(func=lambda a: run_guarded(run_unlock, a))


def _store(args: argparse.Namespace) -> Path:
    return paths.db_path(paths.resolve_data_dir(getattr(args, "data_dir", None)))


def _key(store: Path, *, create: bool = False) -> bytes | None:
    """The store key (None when there is no store yet and `create` is off)."""
    if not create and not store.is_file():
        return None
    return store_key.unlock(store, passphrase=cli_passphrase, create=create).key


def run_unlock(args: argparse.Namespace) -> int:
    recovery = args.recovery or None
    if recovery is None and not os.environ.get(store_key.RECOVERY_ENV) and sys.stdin and sys.stdin.isatty():
        recovery = getpass.getpass("Kunci pemulihan: ")
    if not recovery and not os.environ.get(store_key.RECOVERY_ENV):
        raise CommandError("Kunci pemulihan belum diisi (--kunci-pemulihan).")
    store = _store(args)
    store.parent.mkdir(parents=True, exist_ok=True)
    unlocked = store_key.unlock(store, passphrase=cli_passphrase, recovery=recovery)
    where = "penyimpan kunci sistem" if unlocked.where == "keyring" else "kata sandi basis data"
    print(f"Kunci basis data diterima dan disimpan ({where}). Aplikasi sekarang bisa dibuka seperti biasa.")
    return EXIT_OK


def run_backup(args: argparse.Namespace) -> int:
    store = _store(args)
    dest, summary = make_backup(store, args.file, _key(store))  # BackupError: run_guarded prints it
    print(f"Cadangan tersimpan: {dest}")
    print(f"Isi: {summary.describe()}.")
    return EXIT_OK


def _confirm(text: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{text} Ketik YA untuk melanjutkan: ")
    except EOFError:
        return False
    return answer.strip().upper() == "YA"


def run_restore(args: argparse.Namespace) -> int:
    store = _store(args)
    store.parent.mkdir(parents=True, exist_ok=True)
    key = _key(store, create=True)
    incoming = check_restorable(store, args.file, key)  # BackupError: run_guarded prints it
    if not args.yes:
        now = summarize(store, key).describe() if store.is_file() else "kosong"
        question = f"Basis data sekarang ({now}) akan diganti dengan cadangan ({incoming.describe()})."
        if not _confirm(question):
            raise CommandError("Pemulihan dibatalkan. Jalankan dengan --ya untuk melanjutkan tanpa pertanyaan.")
    restored, safety = restore_backup(store, args.file, key)
    if safety is not None:
        print(f"Salinan pengaman basis data sebelumnya: {safety}")
    # Open once so an older backup is migrated now (with its own backup) and problems show here.
    with open_context(args):
        pass
    print(f"Pemulihan selesai: {restored.describe()}.")
    return EXIT_OK


def run_doctor_cmd(args: argparse.Namespace) -> int:
    checks = run_doctor(getattr(args, "data_dir", None), server_timeout=args.timeout, check_server=not args.offline)
    print(format_report(checks))
    return EXIT_FAILED if has_failures(checks) else EXIT_OK


def run_provision(args: argparse.Namespace) -> int:
    # ProvisioningError: run_guarded prints it
    result = import_provisioning(getattr(args, "data_dir", None), args.file, passphrase=cli_passphrase)
    print("File provisioning diimpor.")
    print(result.describe())
    show_recovery_code(result.recovery_code)
    print("Langkah berikutnya: operator login (bansos login atau dari aplikasi).")
    return EXIT_OK
