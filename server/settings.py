"""Server settings from the environment (prefix BANSOS_) or a .env file (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import KnownError

DEFAULT_SECRET = "dev-secret-change-me"
MIN_SECRET_PRODUCTION = 32


class ReferenceRule(BaseModel):
    """A reference-list match that auto-rejects: a recipient at `existing_level` cannot get a
    programme at one of `target_levels`. Every other active match is only flagged."""

    existing_level: str = "pusat"
    target_levels: list[str] = ["provinsi", "kabupaten"]
    action: Literal["reject", "flag"] = "reject"


class UnsafeSettings(KnownError, RuntimeError):
    """A startup refusal (IT staff's configuration, not a bug): the CLI prints it and exits 2."""

    @classmethod
    def default_message(cls) -> str:
        return "Pengaturan server tidak aman; server tidak dijalankan."


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BANSOS_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("bansos-server-data")
    # Empty: an embedded SQLite file in data_dir. Production: postgresql+psycopg://user@host/db
    database_url: str = ""
    # Optional read replica for the review lists and dashboards (same schema, streaming replication).
    read_database_url: str = ""
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs/CIDRs, e.g. "127.0.0.1").
    # Empty: the TCP peer is the client address, whatever headers say (login throttling keys on it).
    trusted_proxies: str = ""
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    token_ttl_hours: int = 12
    login_max_failures: int = 5
    login_lockout_seconds: int = 300
    # The server accepts bigger batches than clients send (sync.protocol.MAX_OPS_PER_BATCH),
    # so a bulk import by IT staff can go in one request.
    max_ops_per_batch: int = 10_000
    max_body_bytes: int = 32 * 1024 * 1024  # decompressed JSON
    max_compressed_bytes: int = 8 * 1024 * 1024  # bytes on the wire
    programmes_file: Path | None = None
    reference_rules: list[ReferenceRule] = [ReferenceRule()]
    reference_active_statuses: list[str] = ["aktif", "active", "penerima", ""]
    log_level: str = "info"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bansos-server.db').resolve()}"

    def check_safe(self) -> None:
        """Refuse to run outside development with the shipped secret, and in production with a weak one."""
        secret = self.secret_key.get_secret_value()
        if self.environment != "development" and secret == DEFAULT_SECRET:
            raise UnsafeSettings(
                "BANSOS_SECRET_KEY masih bawaan; isi dengan rahasia acak yang panjang sebelum menjalankan server "
                "di luar development."
            )
        if self.environment == "production" and len(secret.strip()) < MIN_SECRET_PRODUCTION:
            raise UnsafeSettings(
                f"BANSOS_SECRET_KEY terlalu pendek ({len(secret.strip())} karakter); produksi memerlukan paling "
                f"sedikit {MIN_SECRET_PRODUCTION} karakter acak, misalnya dari: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
