"""Importing the provisioning file: server URL, desa, CA certificate; clear refusals."""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any

import pytest

from desktop_app import paths
from desktop_app.cli import main
from desktop_app.context import AppContext
from desktop_app.provisioning import (
    META_SERVER_URL,
    ProvisioningError,
    ca_bundle_path,
    import_provisioning,
    parse_provisioning,
)
from domain import regions
from local_db.send_rule import META_MUSDESUS_REQUIRED
from tests.support.certs import TEST_CA
from tests.support.household_seed import service
from tests.support.people import DESA, people

OTHER_DESA = next(r.digits for r in regions.children("19.02.01") if r.digits != DESA)



def doc(**over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "format": 1,
        "server_url": "https://bansos.belitungkab.go.id/",
        "desa_code": DESA,
        "desa_name": "Buluh Tumbang",
        "ca_cert_pem": None,
        "created_at": "2026-11-22T08:00:00+00:00",
    }
    d.update(over)
    return d


def write(path: Path, content: dict[str, Any] | str) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_import_sets_desa_and_server(data_dir: Path, tmp_path: Path) -> None:
    result = import_provisioning(data_dir, write(tmp_path / "p.json", doc()))
    assert result.ca_path is None and ca_bundle_path(data_dir) is None
    with AppContext.open(data_dir) as ctx:
        assert ctx.desa_code == DESA
        assert ctx.get_meta(META_SERVER_URL) == "https://bansos.belitungkab.go.id"  # trailing slash dropped
    assert "Buluh Tumbang (19.02.01.2003)" in result.describe()


def test_ca_certificate_saved_and_usable_then_removed(data_dir: Path, tmp_path: Path) -> None:
    import_provisioning(data_dir, write(tmp_path / "p.json", doc(ca_cert_pem=TEST_CA)))
    ca = ca_bundle_path(data_dir)
    assert ca is not None and ca.parent == data_dir
    ctx = ssl.create_default_context(cafile=str(ca))  # what requests does with verify=<path>
    assert any(c["subject"] == ((("commonName", "Bansos Desa Test CA"),),) for c in ctx.get_ca_certs())

    # Re-provisioned for a server with a public certificate: the private CA no longer applies.
    import_provisioning(data_dir, write(tmp_path / "p2.json", doc()))
    assert ca_bundle_path(data_dir) is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{bukan json", "bukan JSON"),
        (json.dumps([1, 2]), "objek JSON"),
        (doc(format=2), "'format'"),
        ({k: v for k, v in doc().items() if k != "server_url"}, "'server_url' tidak ada"),
        (doc(server_url="ftp://server"), "'server_url'"),
        (doc(server_url="https://user:pw@server"), "'server_url'"),
        (doc(desa_code="19.02.01"), "'desa_code'"),
        (doc(desa_code="1902019999"), "tidak ada di daftar wilayah"),
        (doc(ca_cert_pem="sembarang teks"), "'ca_cert_pem' bukan sertifikat"),
        (doc(ca_cert_pem=TEST_CA, server_url="http://10.0.0.1"), "bukan https"),
        (doc(ca_cert_pem=TEST_CA + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "KUNCI PRIVAT"),
        (doc(ca_cert_pem="-----BEGIN CERTIFICATE-----\nrusak\n-----END CERTIFICATE-----\n"), "'ca_cert_pem'"),
    ],
)
def test_bad_file_is_refused_naming_the_field(
    data_dir: Path, tmp_path: Path, content: dict[str, Any] | str, expected: str
) -> None:
    with pytest.raises(ProvisioningError, match=expected):
        import_provisioning(data_dir, write(tmp_path / "p.json", content))
    # Nothing was half-written: no desa, no server URL, no CA file.
    assert ca_bundle_path(data_dir) is None
    if paths.db_path(data_dir).exists():
        with AppContext.open(data_dir) as ctx:
            assert ctx.desa_code is None and ctx.get_meta(META_SERVER_URL) is None


def test_missing_file(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ProvisioningError, match="tidak ditemukan"):
        import_provisioning(data_dir, tmp_path / "tidak-ada.json")


def test_pc_with_data_of_another_desa_is_not_reprovisioned(data_dir: Path, tmp_path: Path) -> None:
    import_provisioning(data_dir, write(tmp_path / "p.json", doc()))
    with AppContext.open(data_dir) as ctx:
        row = next(people(1))
        svc = service(ctx)
        hid = svc.save_household({"kk": row["kk"], "address": row["address"]}).record_id
        svc.save_member({"household_id": hid, "nik": row["nik"], "name": row["name"], "birth_date": row["birth_date"],
                         "sex": row["sex"], "relation": "kepala_keluarga"})
    with pytest.raises(ProvisioningError, match="sudah berisi data"):
        import_provisioning(data_dir, write(tmp_path / "q.json", doc(desa_code=OTHER_DESA)))
    with AppContext.open(data_dir) as ctx:
        assert ctx.desa_code == DESA


def test_plain_http_is_flagged_but_loopback_is_not() -> None:
    assert parse_provisioning(json.dumps(doc(server_url="http://10.1.2.3:8000"))).insecure_http
    assert not parse_provisioning(json.dumps(doc(server_url="http://127.0.0.1:8000"))).insecure_http
    assert not parse_provisioning(json.dumps(doc())).insecure_http


def test_cli_provision(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "p.json", doc(ca_cert_pem=TEST_CA))
    assert main(["--data-dir", str(data_dir), "provision", str(good)]) == 0
    out = capsys.readouterr().out
    assert "Buluh Tumbang" in out and "login" in out

    bad = write(tmp_path / "bad.json", doc(desa_code="123"))
    assert main(["--data-dir", str(data_dir), "provision", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "'desa_code'" in err and "Traceback" not in err


def test_file_written_by_the_server_command_imports(data_dir: Path, tmp_path: Path) -> None:
    """`bansos-server provision` output is what `bansos provision` reads."""
    provision = pytest.importorskip("server.services.provision", reason="server provisioning not built yet")
    ca_file = write(tmp_path / "ca.pem", TEST_CA)
    out = tmp_path / "desa.json"
    written = provision.write_provisioning(
        desa=DESA, server_url="https://bansos.example.go.id", ca_cert=str(ca_file), out=str(out)
    )
    result = import_provisioning(data_dir, Path(written))
    assert result.provisioning.desa_code == DESA
    assert result.provisioning.server_url == "https://bansos.example.go.id"
    ca = ca_bundle_path(data_dir)
    assert ca is not None and ca.read_text().strip() == TEST_CA.strip()


def test_a_new_village_sends_only_musdesus_agreed_proposals_an_old_store_keeps_sending(
        data_dir: Path, tmp_path: Path) -> None:
    import_provisioning(data_dir, write(tmp_path / "p.json", doc()))
    with AppContext.open(data_dir) as ctx:
        assert ctx.get_meta(META_MUSDESUS_REQUIRED) == "1"
        ctx.set_meta(META_MUSDESUS_REQUIRED, "0")  # the operator's choice survives a new provisioning file
    import_provisioning(data_dir, write(tmp_path / "p.json", doc()))
    with AppContext.open(data_dir) as ctx:
        assert ctx.get_meta(META_MUSDESUS_REQUIRED) == "0"

    old_dir = tmp_path / "lama"
    with AppContext.open(old_dir) as ctx:
        ctx.entry_service().save(next(people(1)))  # entries of the old model: a store being upgraded
    import_provisioning(old_dir, write(tmp_path / "p.json", doc()))
    with AppContext.open(old_dir) as ctx:
        assert ctx.get_meta(META_MUSDESUS_REQUIRED) == "0"
