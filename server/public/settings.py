"""Settings of the public pages (environment prefix BANSOS_PUBLIC_), apart from the server's own."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class PublicSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BANSOS_PUBLIC_", env_file=".env", extra="ignore")

    # Reports (and their photos) are deleted this many days after they were sent (`purge-public-reports`).
    retention_days: int = 365
    # Status checks: per client address, and per NIK whoever asks (a NIK's owner can be targeted from many
    # addresses); every check counts, found or not, so a lockout says nothing about the NIK. The address
    # limit is loose: mobile carriers put many phones behind one address (CGNAT); the NIK limit is the
    # one that stops guessing a KK.
    status_per_address: int = 60
    status_per_nik: int = 10
    status_window_seconds: int = 3600
    # Reports sent and tickets looked up, per client address.
    reports_per_address: int = 10
    reports_window_seconds: int = 3600
    track_per_address: int = 60
    track_window_seconds: int = 600
    # Every status answer (found or not) takes at least this long, so its timing tells nothing.
    status_floor_ms: int = 120
    max_photo_bytes: int = 2 * 1024 * 1024
