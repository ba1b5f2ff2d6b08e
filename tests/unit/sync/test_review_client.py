"""The review client's connection settings: the provisioned CA file, like the sync client."""

from __future__ import annotations

from pathlib import Path

from sync.client import SyncClient
from sync.review_client import REVIEW_READ_TIMEOUT, ReviewClient


def test_review_client_verifies_with_the_given_ca_file(tmp_path: Path) -> None:
    ca = tmp_path / "server-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    with ReviewClient("https://bansos.example.go.id/", "token", verify=str(ca)) as c:
        assert c.session.verify == str(ca)
        assert c.timeout[1] == REVIEW_READ_TIMEOUT and c.base_url == "https://bansos.example.go.id"
    # Same as the operators' sync client given the same file.
    with SyncClient("https://bansos.example.go.id", verify=str(ca)) as s:
        assert s.session.verify == str(ca)


def test_review_client_defaults_to_the_system_cas() -> None:
    with ReviewClient("https://bansos.example.go.id") as c:
        assert c.session.verify is True
