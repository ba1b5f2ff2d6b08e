"""The three synced records of the household model (design.md §3): what the village owns of a
household, a member and a proposal. sync's protocol imports these as the op payloads; local_db
stores them as outbox JSON; the server validates them with domain's *_check modules.

Codes are plain strings here (not enums), so an unknown code becomes an Indonesian finding naming
the field (domain.*_check) instead of a schema error; lengths are capped so a bad client cannot send
megabytes. Pure pydantic: no Qt, no database, no HTTP.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class RecordType(StrEnum):
    HOUSEHOLD = "household"
    MEMBER = "member"
    PROPOSAL = "proposal"


RECORD_TYPE_LABELS = {RecordType.HOUSEHOLD: "Keluarga", RecordType.MEMBER: "Anggota keluarga",
                      RecordType.PROPOSAL: "Usulan"}

_Code = Field(default="", max_length=40)


class Housing(BaseModel):
    """The house of a household (DTSEN); "" = not asked yet. Codes from domain.housing_codes."""

    model_config = ConfigDict(extra="forbid")

    tenure: str = _Code
    floor_area_m2: float | None = None
    floor_material: str = _Code
    wall_material: str = _Code
    roof_material: str = _Code
    water_source: str = _Code
    lighting: str = _Code
    wattage: str = _Code  # only with PLN electricity on a meter
    cooking_fuel: str = _Code
    toilet_facility: str = _Code
    toilet_type: str = _Code
    sewage: str = _Code


class HouseholdPayload(BaseModel):
    """One family card (KK) and its house and assets."""

    model_config = ConfigDict(extra="forbid")

    kk: str = Field(default="", max_length=40)  # "" only while kk_pending
    kk_pending: bool = False  # the KK is not issued yet: no number, the household is flagged
    desa_code: str = Field(max_length=20)
    dusun: str = Field(default="", max_length=100)
    rt: str = Field(default="", max_length=5)
    rw: str = Field(default="", max_length=5)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=30)
    latitude: float | None = None
    longitude: float | None = None
    housing: Housing = Field(default_factory=Housing)
    assets: list[str] = Field(default_factory=list, max_length=30)  # domain.housing_codes.Asset codes owned
    livestock: dict[str, int] = Field(default_factory=dict, max_length=10)  # Livestock code -> head count
    notes: str = Field(default="", max_length=1000)
    # Read-only: BPS's ranking from the imported reference list. Server-owned; a village's value is ignored.
    desil: int | None = None


class MemberPayload(BaseModel):
    """One person in one household (a move to another household changes household_id only)."""

    model_config = ConfigDict(extra="forbid")

    household_id: str = Field(max_length=64)  # the household's record_id
    nik: str = Field(default="", max_length=40)  # "" while the person has only a temporary id
    temp_id: str = Field(default="", max_length=20)  # domain.temp_ids; "" once the NIK is known
    former_ids: list[str] = Field(default_factory=list, max_length=10)  # earlier temporary ids, oldest first
    name: str = Field(max_length=200)
    birth_place: str = Field(default="", max_length=100)
    birth_date: str = Field(max_length=20)  # ISO YYYY-MM-DD
    sex: str = Field(max_length=2)
    relation: str = Field(default="", max_length=40)  # domain.member_codes.Relation; "" = not known yet
    marital_status: str = _Code
    education: str = _Code
    school_status: str = _Code
    occupation: str = _Code
    difficulties: dict[str, str] = Field(default_factory=dict, max_length=10)  # Difficulty -> Severity
    chronic_illness: str = _Code
    pregnant: bool = False
    ppks: list[str] = Field(default_factory=list, max_length=26)  # domain.ppks.Ppks codes
    criteria: list[str] = Field(default_factory=list, max_length=30)  # domain.criteria codes
    phone: str = Field(default="", max_length=30)
    notes: str = Field(default="", max_length=1000)
    # Why the operator saved over a probable-duplicate warning, if any.
    override_reason: str = Field(default="", max_length=500)


class ProposalPayload(BaseModel):
    """A request about one programme for one target: the household (household programmes) or one
    member (person programmes)."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(default="new", max_length=20)  # domain.proposal_codes.ProposalType
    programme: str = Field(max_length=40)
    household_id: str = Field(default="", max_length=64)  # target of a household programme
    member_id: str = Field(default="", max_length=64)  # target of a person programme
    pengurus_id: str = Field(default="", max_length=64)  # household programme: the member who receives it
    criteria: list[str] = Field(default_factory=list, max_length=30)
    note: str = Field(default="", max_length=1000)
    removal_reason: str = Field(default="", max_length=40)  # removals only: RemovalReason
    musdesus_decision: str = Field(default="", max_length=20)  # MusdesusDecision, once decided
    musdesus_date: str = Field(default="", max_length=20)  # ISO date of the meeting
    musdesus_ref: str = Field(default="", max_length=100)  # minutes (berita acara) number
    musdesus_minutes_sha256: str = Field(default="", max_length=64)  # sha256 of the signed minutes' file

    @property
    def target_id(self) -> str:
        return self.member_id or self.household_id


PAYLOADS: dict[RecordType, type[BaseModel]] = {
    RecordType.HOUSEHOLD: HouseholdPayload, RecordType.MEMBER: MemberPayload, RecordType.PROPOSAL: ProposalPayload,
}
# Fields the village owns (conflict detection compares these); the rest is server-owned or a note.
HOUSEHOLD_FIELDS: tuple[str, ...] = tuple(f for f in HouseholdPayload.model_fields if f != "desil")
MEMBER_FIELDS: tuple[str, ...] = tuple(f for f in MemberPayload.model_fields if f != "override_reason")
PROPOSAL_FIELDS: tuple[str, ...] = tuple(ProposalPayload.model_fields)
