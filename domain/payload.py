"""The operator-owned fields of one candidate entry (EntryPayload) and which of them the village owns.

It lives in domain, not sync, because every layer speaks it: local_db stores it as the outbox JSON,
sync sends it (sync.protocol re-exports it as part of the wire schema), the server validates it.
Pure pydantic: no Qt, no database, no HTTP.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EntryPayload(BaseModel):
    """The operator-owned fields of one candidate entry, as sent by the village."""

    model_config = ConfigDict(extra="forbid")

    nik: str = Field(max_length=40)
    kk: str = Field(max_length=40)
    name: str = Field(max_length=200)
    birth_place: str = Field(default="", max_length=100)
    birth_date: str = Field(max_length=20)  # ISO YYYY-MM-DD
    sex: str = Field(max_length=2)
    desa_code: str = Field(max_length=20)
    dusun: str = Field(default="", max_length=100)
    rt: str = Field(default="", max_length=5)
    rw: str = Field(default="", max_length=5)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=30)
    criteria: list[str] = Field(default_factory=list, max_length=30)
    programme: str = Field(max_length=40)
    notes: str = Field(default="", max_length=1000)
    latitude: float | None = None
    longitude: float | None = None
    # Reason the operator gave for saving over a probable-duplicate warning, if any.
    override_reason: str = Field(default="", max_length=500)
    delete_reason: str = Field(default="", max_length=500)


# Fields the village owns (conflict detection compares these).
ENTRY_FIELDS: tuple[str, ...] = tuple(
    f for f in EntryPayload.model_fields if f not in ("override_reason", "delete_reason")
)
