"""`bansos-server provision`: the JSON file a village installer imports (desktop side: packaging)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from domain import regions
from domain.errors import KnownError

FORMAT = 1


class ProvisionError(KnownError, ValueError):
    @classmethod
    def default_message(cls) -> str:
        return "File provisioning tidak bisa dibuat; periksa kode desa, alamat server dan berkas CA."


def provisioning(*, desa: str, server_url: str, ca_cert_pem: str | None) -> dict[str, object]:
    code = regions.digits_of(desa)
    region = regions.get(code)
    if region is None or region.level != 4:
        raise ProvisionError(f"Kode desa {desa} tidak ada di daftar desa/kelurahan Kemendagri.")
    url = urlparse(server_url)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ProvisionError(f"Alamat server '{server_url}' harus diawali http:// atau https://.")
    if ca_cert_pem is not None and "BEGIN CERTIFICATE" not in ca_cert_pem:
        raise ProvisionError("Berkas CA bukan sertifikat PEM.")
    return {"format": FORMAT, "server_url": server_url.rstrip("/"), "desa_code": code, "desa_name": region.name,
            "ca_cert_pem": ca_cert_pem, "created_at": datetime.now(UTC).isoformat()}


def write_provisioning(*, desa: str, server_url: str, ca_cert: str | None = None, out: str | None = None) -> Path:
    pem = None
    if ca_cert:
        p = Path(ca_cert)
        if not p.is_file():
            raise ProvisionError(f"Berkas CA {ca_cert} tidak ditemukan.")
        pem = p.read_text(encoding="utf-8")
    data = provisioning(desa=desa, server_url=server_url, ca_cert_pem=pem)
    path = Path(out) if out else Path(f"bansos-provision-{data['desa_code']}.json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
