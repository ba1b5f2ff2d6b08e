"""Import of the provisioning file that IT staff make with `bansos-server provision`.

The file (JSON, format 1) says which server this PC talks to, which desa it registers for, and
optionally the CA certificate of the server's HTTPS (a private CA). After importing it the operator
only logs in. The CA goes to `<data dir>/server-ca.pem`; the sync client finds it with
`ca_bundle_path(data_dir)` and passes it to requests as `verify=`.

    {"format": 1, "server_url": "https://...", "desa_code": "1902012003", "desa_name": "...",
     "ca_cert_pem": "-----BEGIN CERTIFICATE-----..." | null, "created_at": "2026-..."}
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop_app.context import AppContext
from desktop_app.server_ca import CA_FILE_NAME as CA_FILE_NAME
from desktop_app.server_ca import ca_bundle_path as ca_bundle_path
from desktop_app.services.sync_service import META_SERVER_URL
from desktop_app.store_key import PassphraseProvider
from domain import regions
from domain.errors import KnownError
from local_db.send_rule import META_MUSDESUS_REQUIRED

log = logging.getLogger(__name__)

FORMAT = 1
MAX_FILE_BYTES = 1_000_000


class ProvisioningError(KnownError):
    """A provisioning file that cannot be used; `message` is Indonesian and names the field."""

    @classmethod
    def default_message(cls) -> str:
        return "File provisioning tidak bisa dipakai. Minta file yang benar dari petugas IT kabupaten."


@dataclass(frozen=True, slots=True)
class Provisioning:
    server_url: str
    desa_code: str  # 10 digits, no dots
    desa_name: str  # from the region table of this app
    ca_cert_pem: str | None
    created_at: str

    @property
    def insecure_http(self) -> bool:
        """Plain http to anything but this machine: works, but the IT officer should hear about it."""
        parts = urlsplit(self.server_url)
        if parts.scheme != "http":
            return False
        host = parts.hostname or ""
        if host == "localhost":
            return False
        try:
            return not ipaddress.ip_address(host).is_loopback
        except ValueError:
            return True


def _field(doc: dict[str, Any], name: str) -> Any:
    if name not in doc:
        raise ProvisioningError(f"Kolom '{name}' tidak ada di file provisioning.")
    return doc[name]


def _check_url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProvisioningError("Kolom 'server_url' harus berisi alamat server, misalnya https://bansos.example.go.id.")
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProvisioningError(f"Kolom 'server_url' bukan alamat http/https yang sah: {value!r}.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ProvisioningError("Kolom 'server_url' tidak boleh berisi nama pengguna, sandi, '?' atau '#'.")
    try:
        _ = parts.port
    except ValueError as e:
        raise ProvisioningError(f"Kolom 'server_url' berisi nomor port yang salah: {value!r}.") from e
    return url


def _check_desa(code: Any, name: Any) -> tuple[str, str]:
    if not isinstance(code, str):
        raise ProvisioningError("Kolom 'desa_code' harus berisi kode desa Kemendagri (10 digit).")
    digits = regions.digits_of(code)
    if len(digits) != 10 or regions.level_of(digits) != 4:
        raise ProvisioningError(f"Kolom 'desa_code' harus 10 digit kode desa Kemendagri, bukan {code!r}.")
    region = regions.get(digits)
    if region is None:
        raise ProvisioningError(f"Kolom 'desa_code': kode desa {regions.dotted(digits)} tidak ada di daftar wilayah.")
    if isinstance(name, str) and name.strip() and name.strip().casefold() != region.name.casefold():
        # Region names change spelling between decrees; the code is what counts.
        log.info("provisioning desa_name differs from the region table for %s", region.code)
    return digits, region.name


def _check_ca(value: Any, url: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ProvisioningError("Kolom 'ca_cert_pem' harus berisi sertifikat PEM atau null.")
    if "PRIVATE KEY" in value:
        raise ProvisioningError(
            "Kolom 'ca_cert_pem' berisi KUNCI PRIVAT. Jangan sebarkan file ini; buat ulang file provisioning "
            "hanya dengan sertifikat CA."
        )
    if "-----BEGIN CERTIFICATE-----" not in value:
        raise ProvisioningError("Kolom 'ca_cert_pem' bukan sertifikat PEM (tidak ada '-----BEGIN CERTIFICATE-----').")
    if not url.startswith("https://"):
        raise ProvisioningError("Kolom 'ca_cert_pem' diisi, tetapi 'server_url' bukan https.")
    try:
        ssl.create_default_context(cadata=value)
    except (ssl.SSLError, ValueError) as e:
        raise ProvisioningError(f"Kolom 'ca_cert_pem' tidak bisa dibaca sebagai sertifikat: {e}.") from e
    return value.strip() + "\n"


def parse_provisioning(raw: bytes | str) -> Provisioning:
    """Validate a provisioning file's content; ProvisioningError names the field that is wrong."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ProvisioningError("File provisioning bukan teks UTF-8.") from e
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ProvisioningError(f"File provisioning bukan JSON yang sah (baris {e.lineno}, kolom {e.colno}).") from e
    if not isinstance(doc, dict):
        raise ProvisioningError("File provisioning harus berupa objek JSON.")
    fmt = _field(doc, "format")
    if fmt != FORMAT:
        raise ProvisioningError(
            f"Kolom 'format' bernilai {fmt!r}; aplikasi ini hanya mengenal format {FORMAT}. "
            "Buat ulang file dengan server versi yang sama atau perbarui aplikasi."
        )
    url = _check_url(_field(doc, "server_url"))
    code, name = _check_desa(_field(doc, "desa_code"), doc.get("desa_name"))
    ca = _check_ca(doc.get("ca_cert_pem"), url)
    created = doc.get("created_at")
    return Provisioning(url, code, name, ca, created if isinstance(created, str) else "")


def load_provisioning_file(path: Path) -> Provisioning:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProvisioningError(f"File {path.name} terlalu besar untuk file provisioning.")
        raw = path.read_bytes()
    except FileNotFoundError as e:
        raise ProvisioningError(f"File provisioning {path} tidak ditemukan.") from e
    except IsADirectoryError as e:
        raise ProvisioningError(f"{path} adalah folder, bukan file provisioning.") from e
    except OSError as e:
        raise ProvisioningError(f"File provisioning {path} tidak bisa dibaca: {e.strerror}.") from e
    return parse_provisioning(raw)


def save_ca(data_dir: Path, prov: Provisioning) -> Path | None:
    """Write (or remove) `server-ca.pem` to match the provisioning; atomic replace."""
    target = Path(data_dir) / CA_FILE_NAME
    if prov.ca_cert_pem is None:
        target.unlink(missing_ok=True)
        return None
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(prov.ca_cert_pem, encoding="ascii")
    os.replace(tmp, target)
    return target


# Meta keys this module writes: the sync part's server URL (read by `bansos login` and the sync
# service), and when the PC was provisioned. desa_code is AppContext's MetaKey.DESA_CODE.
META_PROVISIONED_AT = "provisioned_at"


@dataclass(frozen=True, slots=True)
class ImportResult:
    provisioning: Provisioning
    ca_path: Path | None
    data_dir: Path
    recovery_code: str | None = None  # the store's recovery key when this open made it: show once

    def describe(self) -> str:
        ca = f"Sertifikat CA server: {self.ca_path}" if self.ca_path else "Sertifikat CA server: bawaan sistem"
        lines = [
            f"Desa: {self.provisioning.desa_name} ({regions.dotted(self.provisioning.desa_code)})",
            f"Server: {self.provisioning.server_url}",
            ca,
        ]
        if self.provisioning.insecure_http:
            lines.append("PERINGATAN: server memakai http tanpa enkripsi; gunakan https di luar jaringan uji.")
        return "\n".join(lines)


def apply_provisioning(ctx: AppContext, prov: Provisioning) -> ImportResult:
    """Apply a validated provisioning to an open context (the GUI's first-run screen uses this).

    Sets the store's desa and server URL and saves the CA certificate. A PC already registered for
    another desa that holds households, members or proposals is refused (its data belongs to that desa).
    """
    current = ctx.desa_code
    if current and current != prov.desa_code:
        with ctx.engine.connect() as conn:
            held = conn.exec_driver_sql(
                "SELECT (SELECT count(*) FROM households) + (SELECT count(*) FROM members) "
                "+ (SELECT count(*) FROM proposals) + (SELECT count(*) FROM outbox)"
            ).scalar_one()
        if int(held):
            raise ProvisioningError(
                f"Komputer ini sudah terdaftar untuk desa {regions.name_of(current) or ''} "
                f"({regions.dotted(current)}) dan sudah berisi data. File provisioning untuk desa "
                f"{prov.desa_name} ({regions.dotted(prov.desa_code)}) ditolak; hubungi petugas IT."
            )
    ca_path = save_ca(ctx.data_dir, prov)
    ctx.configure(desa_code=prov.desa_code)
    ctx.set_meta(META_SERVER_URL, prov.server_url)
    ctx.set_meta(META_PROVISIONED_AT, datetime.now(UTC).isoformat())
    if ctx.get_meta(META_MUSDESUS_REQUIRED) is None:
        # A new village starts with "only Musdesus-agreed proposals are sent"; a store that already
        # holds entries of the old model keeps sending as before until the operator turns it on.
        with ctx.engine.connect() as conn:
            old = int(conn.exec_driver_sql("SELECT count(*) FROM entry").scalar_one())
        ctx.set_meta(META_MUSDESUS_REQUIRED, "0" if old else "1")
    log.info("provisioned for desa %s, server %s, custom CA %s", prov.desa_code, prov.server_url, bool(ca_path))
    return ImportResult(prov, ca_path, ctx.data_dir, ctx.new_recovery_code)


def import_provisioning(
    data_dir: str | Path | None, file: Path, *, passphrase: PassphraseProvider | None = None
) -> ImportResult:
    """`bansos provision FILE`: validate the file, open the data dir's store, apply it.

    Raises ProvisioningError (or local_db StoreError) with an Indonesian message; nothing is
    written when the file is refused.
    """
    prov = load_provisioning_file(Path(file))
    with AppContext.open(data_dir, passphrase=passphrase) as ctx:
        return apply_provisioning(ctx, prov)
