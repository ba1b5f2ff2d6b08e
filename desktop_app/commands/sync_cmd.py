"""`bansos sync [--once]` and `bansos status [--json]`, for IT staff and scripts.

Exit codes of `sync --once`: 0 done; 2 server unreachable or outcome unknown (try later);
3 login needed; 4 records need attention (refused or in conflict); 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from desktop_app.commands.account import read_password
from desktop_app.commands.common import open_context, run_guarded


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help="kirim data keluarga, anggota dan usulan ke server dan ambil hasil verifikasi")
    p.add_argument("--once", action="store_true", help="sekali jalan lalu keluar")
    p.add_argument("--interval", type=int, default=None, help="jeda antar sinkronisasi dalam detik (bawaan: pengaturan)")
    p.add_argument("--export-file", metavar="BERKAS", help="tanpa jaringan: tulis batch yang menunggu ke berkas untuk server")
    p.add_argument("--import-reply", metavar="BERKAS", help="tanpa jaringan: baca berkas balasan dari server")
    p.add_argument("--device-keys", action="store_true", help="tampilkan kunci publik perangkat ini (untuk petugas TI)")
    p.add_argument("--server-keys", metavar="KUNCI", help="atur kunci publik server untuk sinkronisasi lewat berkas")
    p.set_defaults(func=lambda a: run_guarded(run_sync, a))
    q = sub.add_parser("status", help="tampilkan keadaan sinkronisasi")
    q.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")
    q.set_defaults(func=lambda a: run_guarded(run_status, a))


def _prompt(user: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    return read_password(f"Kata sandi untuk {user}: ") or None


def _summary(report: Any) -> str:
    parts = [f"{report.batches} batch", f"{report.accepted} diterima", f"{report.duplicate} sudah ada",
             f"{report.conflict} konflik", f"{report.invalid} ditolak", f"{report.pulled} pembaruan dari server"]
    return "Sinkronisasi selesai: " + ", ".join(parts) + "."


def _exit_code(report: Any) -> int:
    if report.error_kind in ("offline", "server"):
        return 2
    if report.error_kind in ("auth", "device", "config"):
        return 3
    if report.error:
        return 1
    return 4 if (report.conflict or report.invalid) else 0


def run_file_sync(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sync import file_sync

    with open_context(args) as ctx:
        if args.server_keys:
            file_sync.set_server_keys(ctx.engine, args.server_keys)
            print("Kunci publik server disimpan.")
        if args.device_keys:
            print(file_sync.device_keys(ctx.engine).public().to_text())
        if args.export_file:
            res = file_sync.export_file(ctx.engine, Path(args.export_file), actor=ctx.operator_name)
            print(f"Berkas kiriman ditulis: {res.path} ({res.batches} batch, {res.ops} entri). "
                  "Bawa ke kecamatan/dinas untuk diimpor.")
        if args.import_reply:
            report = file_sync.read_reply(ctx.engine, Path(args.import_reply), actor=ctx.operator_name)
            print(_summary(report).replace("Sinkronisasi selesai", "Balasan berkas diterapkan"))
            return 4 if (report.conflict or report.invalid) else 0
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from desktop_app.services.sync_service import SyncService

    if args.export_file or args.import_reply or args.device_keys or args.server_keys:
        return run_file_sync(args)

    try:
        with open_context(args) as ctx:
            svc = SyncService.from_context(ctx, password_prompt=_prompt)
            interval = args.interval or svc.interval_seconds()
            while True:
                report = svc.sync_once()
                if report.error:
                    print(f"Sinkronisasi gagal: {report.error}", file=sys.stderr)
                else:
                    print(_summary(report))
                if args.once:
                    return _exit_code(report)
                time.sleep(interval)
    except KeyboardInterrupt:
        return 0  # Ctrl+C ends the periodic loop normally


def run_status(args: argparse.Namespace) -> int:
    from desktop_app.services.sync_service import SyncService
    from domain.states import SYNC_LABELS, SyncState

    with open_context(args) as ctx:
        st = SyncService.from_context(ctx).status()
    if args.json:
        print(json.dumps(st.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"Server        : {st.server_url or '(belum diatur)'}  pengguna: {st.username or '-'}"
          f"  {'login' if st.logged_in else 'belum login'}")
    for state in SyncState:
        print(f"  {SYNC_LABELS[state]:<34}: {st.counts.get(state.value, 0)}")
    print(f"Menunggu dikirim (outbox): {st.outbox}")
    if st.pending_batch:
        pb = st.pending_batch
        print(f"Batch tertunda: {pb['batch_id']} ({pb['ops']} perubahan, {pb['attempts']} kali dicoba)")
    print(f"Sinkron terakhir berhasil: {st.last_success or '-'}")
    if st.last_error:
        print(f"Kesalahan terakhir: {st.last_error} ({st.last_error_at or '-'})")
    if st.skew_seconds is not None:
        print(f"Selisih jam dengan server: {st.skew_seconds:+.0f} detik")
    if st.needs_attention:
        print(f"Perlu perhatian: {st.needs_attention} data (ditolak, konflik, atau usulan yang dikembalikan)")
    return 0
