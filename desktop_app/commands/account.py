"""`bansos login` and `bansos logout`: the server account of this device.

The password comes from BANSOS_PASSWORD, or from standard input (a prompt without echo on a
terminal, one line otherwise), never from the command line, so it stays out of shell history.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from desktop_app.commands.common import CommandError, open_context, run_guarded
from desktop_app.services.sync_service import PASSWORD_ENV

EXIT_LOGIN_FAILED = 3


def register(sub: Any) -> None:
    p = sub.add_parser("login", help="login ke server pusat dan daftarkan perangkat ini")
    p.add_argument("--server", required=True, help="alamat server, misalnya https://bansos.example.go.id")
    p.add_argument("--username", required=True, help="nama pengguna operator")
    p.add_argument("--desa", default=None, help="kode desa perangkat ini (bawaan: desa di pengaturan atau akun)")
    p.add_argument("--label", default="", help="nama perangkat untuk server (bawaan: nama komputer)")
    p.set_defaults(func=lambda a: run_guarded(run_login, a))
    q = sub.add_parser("logout", help="hapus token login dari perangkat ini")
    q.set_defaults(func=lambda a: run_guarded(run_logout, a))


def read_password(prompt: str = "Kata sandi: ") -> str:
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def run_login(args: argparse.Namespace) -> int:
    from desktop_app.services.sync_service import SyncService
    from local_db.engine import StoreError
    from sync.client import SyncError

    password = read_password()
    if not password:
        raise CommandError("Kata sandi kosong. Isi lewat BANSOS_PASSWORD atau ketik saat diminta.", 2)
    try:
        with open_context(args) as ctx:
            svc = SyncService.from_context(ctx)
            out = svc.login(args.server, args.username, password, desa_code=args.desa, label=args.label)
    except (SyncError, StoreError) as e:
        raise CommandError(f"Login gagal: {e}", EXIT_LOGIN_FAILED) from e
    print(f"Login berhasil. Perangkat {out.device_id} terdaftar untuk desa {out.desa_code}.")
    if out.token_store == "memory":
        print("Keyring sistem tidak tersedia: token hanya disimpan selama proses ini. Perintah berikutnya "
              "akan meminta kata sandi lagi (atau memakai BANSOS_PASSWORD).")
    return 0


def run_logout(args: argparse.Namespace) -> int:
    from desktop_app.services.sync_service import SyncService

    with open_context(args) as ctx:
        found = SyncService.from_context(ctx).logout()
    print("Token login dihapus." if found else "Tidak ada token login yang tersimpan.")
    return 0
