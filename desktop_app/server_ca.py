"""Where the server's CA certificate from provisioning lives in the data dir.

Its own module so that both provisioning (which writes the file) and the sync/review services
(which pass it to requests as `verify=`) can use it without importing each other.
"""

from __future__ import annotations

from pathlib import Path

CA_FILE_NAME = "server-ca.pem"


def ca_bundle_path(data_dir: Path) -> Path | None:
    """The server's CA certificate saved by provisioning, for requests' `verify=`; None: system CAs."""
    p = Path(data_dir) / CA_FILE_NAME
    return p if p.is_file() else None
