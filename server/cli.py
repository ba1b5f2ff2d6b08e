"""`bansos-server`: init, create-user, import-reference, serve, demo, dedupe, provision, import-file."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from server import logs
from server.settings import Settings, UnsafeSettings

log = logging.getLogger("bansos.server.cli")


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "database_url", None):
        overrides["database_url"] = args.database_url
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    return Settings(**overrides)  # type: ignore[arg-type]


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    from server import db

    return db.make_engine(settings.resolved_database_url())


def cmd_init(args: argparse.Namespace) -> int:
    from server import migrate

    settings = _settings(args)
    engine = _engine(settings)
    migrate.upgrade(engine)
    print(f"Basis data siap: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _read_password(prompt: str) -> str:
    env = os.environ.get("BANSOS_PASSWORD")
    if env:
        return env
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def cmd_create_user(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from server.services.users import UserError, create_user

    settings = _settings(args)
    password = _read_password(f"Kata sandi untuk {args.username}: ")
    with Session(_engine(settings)) as s:
        try:
            user = create_user(s, username=args.username, role=args.role, area=args.area or "", password=password,
                               replace=args.replace)
        except UserError as e:
            print(f"Gagal: {e}", file=sys.stderr)
            return 2
    print(f"Pengguna {user.username} ({user.role}, wilayah {user.area_code or '-'}) tersimpan.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings(args)
    if args.workers < 1:
        print("Gagal: --workers paling sedikit 1.", file=sys.stderr)
        return 2
    try:
        settings.check_safe()
    except UnsafeSettings as e:
        print(f"Server tidak dijalankan: {e}", file=sys.stderr)
        return 2
    # Worker processes build the app from the environment (server.app.app_from_env): hand them the
    # command-line overrides that way.
    if args.database_url:
        os.environ["BANSOS_DATABASE_URL"] = args.database_url
    if args.data_dir:
        os.environ["BANSOS_DATA_DIR"] = str(args.data_dir)
    logs.configure(settings.log_level, replace=True)
    proxies = settings.trusted_proxies.strip()
    # X-Forwarded-For is believed only from the configured proxies; otherwise the TCP peer is the client
    # (uvicorn's own default would believe 127.0.0.1, i.e. any local caller could pick its address).
    uvicorn.run("server.app:app_from_env", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=settings.log_level.lower(), timeout_keep_alive=30, access_log=args.access_log,
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)
    return 0


def cmd_import_reference(args: argparse.Namespace) -> int:
    from server.services.reference_import import import_csv

    settings = _settings(args)
    report = import_csv(_engine(settings), args.file, rejects_path=args.rejects, settings=settings)
    print(report.summary())
    return 0 if report.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from server.services.demo import build_demo

    settings = _settings(args)
    print(build_demo(_engine(settings)))
    return 0


def cmd_provision(args: argparse.Namespace) -> int:
    from server.services.provision import ProvisionError, write_provisioning

    try:
        path = write_provisioning(desa=args.desa, server_url=args.server_url, ca_cert=args.ca_cert, out=args.out)
    except ProvisionError as e:
        print(f"Gagal: {e}", file=sys.stderr)
        return 2
    print(f"Berkas provisioning ditulis: {path}")
    return 0


def cmd_dedupe(args: argparse.Namespace) -> int:
    from pathlib import Path

    from server.services.dedupe import DedupeError, run

    engine = _engine(_settings(args)) if args.against_server else None
    try:
        report = run(Path(args.file), Path(args.out), id_column=args.id_column, server=engine)
    except DedupeError as e:
        print(f"Gagal: {e.message}", file=sys.stderr)
        return 2
    return 0 if not report.bad else 1


def cmd_purge_public_reports(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from server.public.reports import purge
    from server.public.settings import PublicSettings

    days = args.days if args.days is not None else PublicSettings().retention_days
    if days < 1:
        print("Gagal: --days paling sedikit 1.", file=sys.stderr)
        return 2
    with Session(_engine(_settings(args))) as s:
        count = purge(s, days)
    print(f"{count} laporan warga yang lebih tua dari {days} hari dihapus (beserta fotonya).")
    return 0


def cmd_import_file(args: argparse.Namespace) -> int:
    from pathlib import Path

    from domain.errors import KnownError
    from domain.programmes import Catalogue
    from server.services.file_sync import import_file

    settings = _settings(args)
    try:
        res = import_file(_engine(settings), settings, Catalogue.from_file(settings.programmes_file),
                          Path(args.file), Path(args.reply))
    except KnownError as e:
        print(f"Gagal: {e}", file=sys.stderr)
        return 2
    print(f"Berkas dari perangkat {res.device_id}: {res.batches} batch diterapkan ({res.refused} ditolak). "
          f"Balasan ditulis: {args.reply}")
    return 0 if not res.refused else 1


def cmd_file_keys(args: argparse.Namespace) -> int:
    from server.services.file_sync import server_keys

    print(server_keys(_settings(args)).public().to_text())
    return 0


def cmd_register_device_key(args: argparse.Namespace) -> int:
    from domain.errors import KnownError
    from server.services.file_sync import register_device_key

    settings = _settings(args)
    try:
        register_device_key(_engine(settings), settings, args.device_id, args.keys)
    except KnownError as e:
        print(f"Gagal: {e}", file=sys.stderr)
        return 2
    print(f"Kunci perangkat {args.device_id} terdaftar untuk sinkronisasi lewat berkas.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bansos-server", description="Server pusat Bansos Desa.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", help="SQLAlchemy URL (default: BANSOS_DATABASE_URL or a SQLite file)")
    common.add_argument("--data-dir", help="folder of the embedded SQLite database (default: BANSOS_DATA_DIR)")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("init", parents=[common], help="create or migrate the database").set_defaults(func=cmd_init)

    cu = sub.add_parser("create-user", parents=[common], help="create an account (password from stdin or BANSOS_PASSWORD)")
    cu.add_argument("--username", required=True)
    cu.add_argument("--role", required=True, choices=["operator", "reviewer", "supervisor", "admin"])
    cu.add_argument("--area", default="", help="desa (operator), kecamatan (reviewer), kab/kota (supervisor) code")
    cu.add_argument("--replace", action="store_true", help="reset an existing account")
    cu.set_defaults(func=cmd_create_user)

    ir = sub.add_parser("import-reference", parents=[common], help="import the reference recipient list (CSV)")
    ir.add_argument("file")
    ir.add_argument("--rejects", help="where to write rejected rows (default: FILE.rejects.csv)")
    ir.set_defaults(func=cmd_import_reference)

    sv = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--access-log", action="store_true")
    sv.add_argument("--workers", type=int, default=1,
                    help="worker processes (about one per CPU core; all state they share is in the database)")
    sv.set_defaults(func=cmd_serve)

    sub.add_parser("demo", parents=[common], help="fill a database with demo accounts and entries").set_defaults(func=cmd_demo)

    dd = sub.add_parser("dedupe", parents=[common], help="find the same person twice in a CSV/XLSX of persons")
    dd.add_argument("file")
    dd.add_argument("--id-column", help="column holding each row's id (default: the row number)")
    dd.add_argument("--out", required=True, help="CSV of pairs: id_a,id_b,decision,score,reasons")
    dd.add_argument("--against-server", action="store_true", help="match the file against the server's members")
    dd.set_defaults(func=cmd_dedupe)

    pp = sub.add_parser("purge-public-reports", parents=[common],
                        help="delete citizens' reports older than the retention period (run daily)")
    pp.add_argument("--days", type=int, help="retention in days (default: BANSOS_PUBLIC_RETENTION_DAYS or 365)")
    pp.set_defaults(func=cmd_purge_public_reports)

    fi = sub.add_parser("import-file", parents=[common], help="import a village's batch file and write the reply")
    fi.add_argument("file")
    fi.add_argument("--reply", required=True, help="where to write the sealed reply file for the device")
    fi.set_defaults(func=cmd_import_file)
    sub.add_parser("file-keys", parents=[common],
                   help="print the server's public keys for file sync").set_defaults(func=cmd_file_keys)
    rk = sub.add_parser("register-device-key", parents=[common], help="register a device's public keys for file sync")
    rk.add_argument("device_id")
    rk.add_argument("keys", help="ed25519:...;x25519:... as printed by 'bansos sync --device-keys'")
    rk.set_defaults(func=cmd_register_device_key)

    pv = sub.add_parser("provision", help="write a provisioning file for a village installer")
    pv.add_argument("--desa", required=True)
    pv.add_argument("--server-url", required=True)
    pv.add_argument("--ca-cert")
    pv.add_argument("--out")
    pv.set_defaults(func=cmd_provision)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        return int(args.func(args))
    except UnsafeSettings as e:
        print(f"Gagal: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
