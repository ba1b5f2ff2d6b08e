"""`bansos doctor`: a health report of this installation for IT support.

Reads the store with its key (never migrates or writes it; reports "terkunci" when the key is not
on this PC), says whether it is encrypted (yes/no, never the key or where it could be copied), asks the server's health
endpoint with a short timeout, and reports counts and states only: no NIK, no names, no free text
from entries, and the data dir with the home folder shortened to "~" (it often holds a login name).
"""

from __future__ import annotations

import platform
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app import paths, store_key
from desktop_app.backup import daily_backups, desa_label
from desktop_app.build_info import version_text
from desktop_app.provisioning import META_SERVER_URL, ca_bundle_path
from local_db import cipher
from local_db.migrations import SCHEMA_VERSION
from sync.engine import META_LAST_ERROR_AT, META_LAST_SUCCESS, META_SKEW

OK, WARN, FAIL, INFO = "OK", "PERINGATAN", "GAGAL", "INFO"
SERVER_TIMEOUT_S = 3.0
SKEW_WARN = timedelta(minutes=5)
OUTBOX_OLD = timedelta(days=7)
BACKUP_OLD_DAYS = 2
# The record tables of the household model (ADR 0005), with the label the check list shows.
RECORD_TABLES = (("households", "Keluarga"), ("members", "Anggota keluarga"), ("proposals", "Usulan"))
OUTBOX_NOUNS = {"household": "keluarga", "member": "anggota", "proposal": "usulan", "entry": "entri lama"}


@dataclass(frozen=True, slots=True)
class Check:
    label: str
    status: str
    detail: str


def redact_home(path: Path) -> str:
    text, home = str(path), str(Path.home())
    if home and home not in ("/", "") and text.startswith(home):
        return "~" + text[len(home) :]
    return text


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _age(t: datetime, now: datetime) -> str:
    seconds = max(0, int((now - t).total_seconds()))
    if seconds < 120:
        return f"{seconds} detik lalu"
    if seconds < 7200:
        return f"{seconds // 60} menit lalu"
    if seconds < 172800:
        return f"{seconds // 3600} jam lalu"
    return f"{seconds // 86400} hari lalu"


class _Store:
    """Read-only look at the store file (no migration, no write)."""

    def __init__(self, path: Path, key: bytes | None) -> None:
        self.conn = cipher.connect(path, key)

    def scalar(self, sql: str, *args: object) -> Any:
        row = self.conn.execute(sql, args).fetchone()
        return row[0] if row else None

    def meta(self, key: str) -> str | None:
        try:
            v = self.scalar("SELECT value FROM meta WHERE key=?", key)
        except cipher.DatabaseError:
            return None
        return str(v) if v else None

    def close(self) -> None:
        self.conn.close()


def _store_checks(db: Path, now: datetime) -> tuple[list[Check], dict[str, str | None]]:
    checks: list[Check] = []
    meta: dict[str, str | None] = {}
    if not db.is_file():
        checks.append(Check("Basis data", WARN, "belum ada (aplikasi belum pernah dibuka di folder data ini)"))
        return checks, meta
    checks.append(Check("Basis data", INFO, f"{db.name}, {db.stat().st_size / 1_000_000:.1f} MB"))
    db_key: bytes | None = None
    if cipher.is_encrypted(db):
        checks.append(Check("Enkripsi basis data", OK, "ya (SQLCipher)"))
        try:
            db_key = store_key.unlock(db, passphrase=store_key.env_passphrase, create=False).key
        except store_key.StoreLocked:
            known = store_key.header_path(db).is_file()
            checks.append(Check("Kunci basis data", FAIL, "tidak tersedia di komputer/akun ini (bansos buka-kunci)"
                                if known else "catatan kunci tidak ada: data dari komputer lain, atau file rusak"))
            checks.append(Check("Pemeriksaan SQLite (quick_check)", FAIL, "file tidak bisa dibaca tanpa kuncinya"))
            return checks, meta
    else:
        checks.append(Check("Enkripsi basis data", WARN, "tidak; dienkripsi saat aplikasi dibuka"))
    store = _Store(db, db_key)
    try:
        try:
            result = [str(r[0]) for r in store.conn.execute("PRAGMA quick_check").fetchall()]
        except cipher.DatabaseError as e:
            checks.append(Check("Pemeriksaan SQLite (quick_check)", FAIL, f"file tidak bisa dibaca: {e}"))
            return checks, meta
        if result == ["ok"]:
            checks.append(Check("Pemeriksaan SQLite (quick_check)", OK, "ok"))
        else:
            checks.append(
                Check(
                    "Pemeriksaan SQLite (quick_check)",
                    FAIL,
                    f"{len(result)} masalah; pulihkan dari cadangan (bansos restore)",
                )
            )
        version = int(store.scalar("PRAGMA user_version") or 0)
        if version == SCHEMA_VERSION:
            checks.append(Check("Versi skema", OK, f"{version} (aplikasi: {SCHEMA_VERSION})"))
        elif version < SCHEMA_VERSION:
            checks.append(
                Check(
                    "Versi skema",
                    INFO,
                    f"{version}; diperbarui ke {SCHEMA_VERSION} saat aplikasi dibuka (dengan cadangan)",
                )
            )
        else:
            checks.append(
                Check(
                    "Versi skema", FAIL, f"{version} lebih baru dari aplikasi ({SCHEMA_VERSION}); pasang versi terbaru"
                )
            )
        if version == 0:
            return checks, meta
        for key in ("desa_code", "device_id", META_SERVER_URL, META_LAST_SUCCESS, META_LAST_ERROR_AT, META_SKEW):
            meta[key] = store.meta(key)
        desa = meta["desa_code"]
        checks.append(
            Check(
                "Desa", OK if desa else WARN, desa_label(desa) if desa else "belum ditetapkan (impor file provisioning)"
            )
        )
        checks.append(Check("ID perangkat", INFO, meta["device_id"] or "-"))
        try:
            for table, label in RECORD_TABLES:
                states = store.conn.execute(
                    f"SELECT sync_state, count(*) FROM {table} WHERE NOT deleted GROUP BY sync_state ORDER BY sync_state"
                ).fetchall()
                total = sum(int(n) for _s, n in states)
                per_state = ", ".join(f"{s} {n}" for s, n in states) or "-"
                checks.append(Check(label, INFO, f"{total} ({per_state})"))
            outbox = int(store.scalar("SELECT count(*) FROM outbox") or 0)
            by_type = store.conn.execute(
                "SELECT record_type, count(*) FROM outbox GROUP BY record_type ORDER BY record_type").fetchall()
            what = ", ".join(f"{OUTBOX_NOUNS.get(str(t), str(t))} {n}" for t, n in by_type)
            oldest = _parse_time(str(store.scalar("SELECT min(created_at) FROM outbox") or ""))
            if outbox == 0:
                checks.append(Check("Antrean kirim (outbox)", OK, "kosong"))
            else:
                old = oldest is not None and now - oldest > OUTBOX_OLD
                since = f", tertua {_age(oldest, now)}" if oldest else ""
                checks.append(
                    Check("Antrean kirim (outbox)", WARN if old else INFO,
                          f"{outbox} perubahan belum terkirim ({what}){since}")
                )
            open_batches = int(store.scalar("SELECT count(*) FROM batch WHERE done_at IS NULL") or 0)
            if open_batches:
                checks.append(Check("Batch belum selesai", INFO, f"{open_batches} (dikirim ulang saat sinkron)"))
            conflicts = int(store.scalar("SELECT " + " + ".join(
                f"(SELECT count(*) FROM {table} WHERE sync_state='CONFLICT')" for table, _l in RECORD_TABLES)) or 0)
            if conflicts:
                checks.append(Check("Konflik", WARN, f"{conflicts} data (keluarga/anggota/usulan) perlu diputuskan "
                                                     "operator/reviewer"))
        except cipher.DatabaseError as e:
            checks.append(Check("Isi basis data", FAIL, f"tabel tidak terbaca: {e}"))
        last = _parse_time(meta.get(META_LAST_SUCCESS))
        checks.append(
            Check(
                "Sinkron terakhir",
                INFO if last else WARN,
                f"{last.isoformat(timespec='seconds')} ({_age(last, now)})" if last else "belum pernah",
            )
        )
        # Only the time of the last failure: its text may quote server messages about entries.
        failed = _parse_time(meta.get(META_LAST_ERROR_AT))
        if failed and (last is None or failed > last):
            checks.append(Check("Sinkron gagal terakhir", WARN, f"{_age(failed, now)}; lihat log aplikasi"))
    finally:
        store.close()
    return checks, meta


def _keyring_check() -> Check:
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as e:  # a broken keyring install must not stop the report
        return Check("Penyimpan sandi (keyring)", FAIL, f"tidak tersedia: {type(e).__name__}")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name.lower() or "null" in name.lower():
        return Check("Penyimpan sandi (keyring)", FAIL, f"{name}: tidak ada penyimpan sandi; login tidak tersimpan")
    if "plaintext" in name.lower():
        return Check("Penyimpan sandi (keyring)", WARN, f"{name}: sandi tersimpan tanpa enkripsi")
    return Check("Penyimpan sandi (keyring)", OK, name)


def _recorded_skew(meta: dict[str, str | None]) -> Check | None:
    try:
        secs = float(meta.get(META_SKEW) or "")
    except ValueError:
        return None
    where = "lebih cepat" if secs > 0 else "lebih lambat"
    status = WARN if abs(secs) > SKEW_WARN.total_seconds() else OK
    return Check("Selisih jam dengan server", status, f"{abs(secs):.0f} detik {where} (tercatat saat sinkron terakhir)")


def _server_checks(data_dir: Path, server_url: str | None, timeout: float) -> list[Check]:
    if not server_url:
        return [Check("Server", WARN, "alamat server belum diatur (impor file provisioning)")]
    ca = ca_bundle_path(data_dir)
    checks = [Check("Server", INFO, server_url + (" (sertifikat CA khusus)" if ca else ""))]
    from sync.client import SyncClient, SyncError

    client = SyncClient(server_url, connect_timeout=timeout, read_timeout=timeout,
                        verify=str(ca) if ca is not None else True)
    try:
        t0 = time.perf_counter()
        health = client.health(timeout=timeout)
        rtt = time.perf_counter() - t0
        received = datetime.now(UTC)
    except SyncError as e:
        checks.append(Check("Koneksi server", WARN, f"tidak terjangkau: {e}"))
        return checks
    except Exception as e:  # doctor reports whatever goes wrong, it never crashes
        checks.append(Check("Koneksi server", WARN, f"tidak terjangkau: {type(e).__name__}"))
        return checks
    finally:
        client.close()
    checks.append(Check("Koneksi server", OK, f"terjangkau dalam {rtt * 1000:.0f} ms, server versi {health.version}"))
    server_time = health.server_time if health.server_time.tzinfo else health.server_time.replace(tzinfo=UTC)
    skew = (received - timedelta(seconds=rtt / 2)) - server_time
    secs = skew.total_seconds()
    where = "lebih cepat" if secs > 0 else "lebih lambat"
    checks.append(
        Check(
            "Selisih jam dengan server",
            WARN if abs(skew) > SKEW_WARN else OK,
            f"jam komputer ini {abs(secs):.0f} detik {where} dari server",
        )
    )
    return checks


def _backup_checks(data_dir: Path, now: datetime) -> Check:
    found = daily_backups(paths.backups_dir(data_dir))
    if not found:
        return Check("Cadangan harian", WARN, "belum ada")
    newest = found[-1][0]
    stale = (now.date() - newest).days > BACKUP_OLD_DAYS
    return Check("Cadangan harian", WARN if stale else OK, f"{len(found)} salinan, terbaru {newest.isoformat()}")


def run_doctor(
    data_dir: str | Path | None, *, server_timeout: float = SERVER_TIMEOUT_S, check_server: bool = True
) -> list[Check]:
    now = datetime.now(UTC)
    ddir = paths.resolve_data_dir(data_dir)
    checks = [
        Check("Aplikasi", INFO, version_text()),
        Check(
            "Sistem",
            INFO,
            f"{platform.system()} {platform.release()} ({platform.machine()}), Python {platform.python_version()}",
        ),
        Check(
            "Folder data",
            INFO if ddir.is_dir() else WARN,
            redact_home(ddir) + ("" if ddir.is_dir() else " (belum ada)"),
        ),
    ]
    if ddir.is_dir():
        free = shutil.disk_usage(ddir).free / 1_000_000_000
        checks.append(Check("Ruang disk kosong", WARN if free < 1 else OK, f"{free:.1f} GB"))
    store_checks, meta = _store_checks(paths.db_path(ddir), now)
    checks += store_checks
    checks.append(_backup_checks(ddir, now))
    checks.append(_keyring_check())
    server = _server_checks(ddir, meta.get(META_SERVER_URL), server_timeout) if check_server else []
    if not any(c.label == "Selisih jam dengan server" for c in server):
        recorded = _recorded_skew(meta)
        server += [recorded] if recorded else []
    checks += server
    return checks


def format_report(checks: list[Check]) -> str:
    width = max(len(c.label) for c in checks)
    lines = ["Laporan bansos doctor (tanpa data pribadi)", ""]
    lines += [f"[{c.status:<10}] {c.label:<{width}}  {c.detail}" for c in checks]
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    lines += ["", f"Ringkasan: {fails} gagal, {warns} peringatan."]
    return "\n".join(lines)


def has_failures(checks: list[Check]) -> bool:
    return any(c.status == FAIL for c in checks)


if __name__ == "__main__":  # pragma: no cover - manual use
    print(format_report(run_doctor(sys.argv[1] if len(sys.argv) > 1 else None)))
