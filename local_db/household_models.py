"""DRAFT: SQLModel tables of the household model (issue 12; design.md §3-§4): households, members,
proposals, each a synced record. NOT yet created by any migration step (local_db.migrations does not
list them); the migration that creates them and moves the old entries in is the next step
(docs/decisions/0005-household-model.md).

Table names are plural so they never clash with the legacy `household` (KK -> address) and `entry`
tables, which the migration keeps (old rows kept and linked: a migrated proposal has the record_id
of the entry it came from).

No foreign keys between the three tables: a pull page may bring a member before the household it
was moved to (records arrive at their latest change, not in creation order) and a village keeps a
record the server voided. The references are checked where they are made (the services and the
server's batch), and listed by the indexes below.

Duplicate rules (design.md §3) and the index each one reads:
1. same NIK on two members             -> ix_members_nik (plus ix_members_temp_id for temporary ids)
2. same KK on two households           -> ix_households_kk
3. probable same person                -> ix_members_birth_date, ix_members_name_key (as today's entry)
4. second open proposal, same programme and target -> ix_proposals_open (partial: not deleted)
5. already a recipient (reference list) -> referencerecipient's primary key (nik, programme), unchanged
None is UNIQUE: two devices of one desa may both enter the same family offline; the server accepts
both and groups them, and the pull must be able to store both (the check blocks at save time).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from domain.records import RecordType
from domain.states import SyncState


class SyncedRecord(SQLModel):
    """Columns every synced record has: identity, who/when, deletion, sync state, server-owned flags."""

    record_id: str = Field(primary_key=True, max_length=36)
    created_at: datetime
    updated_at: datetime
    created_by: str = ""
    updated_by: str = ""
    warnings: str = "[]"  # JSON list of Issue dicts recorded at save time
    deleted: bool = False
    delete_reason: str = ""
    # --- sync columns (design.md §4)
    local_rev: int = 1
    base_version: int | None = None  # last server version seen
    sync_state: str = SyncState.NEW
    # --- server-owned columns
    server_version: int | None = None
    server_flags: str = "[]"  # JSON list of flag codes
    conflict_data: str | None = None  # JSON: server copy + conflicting fields
    voided: bool = False  # removed on the server (e.g. a duplicate entered twice); the village keeps its copy


class HouseholdRecord(SyncedRecord, table=True):
    """One family card (domain.records.HouseholdPayload) and its house and assets."""

    __tablename__ = "households"
    __table_args__ = (
        Index("ix_households_kk", "kk"),
        Index("ix_households_sync_state", "sync_state"),
        Index("ix_households_updated_at", "updated_at"),
        Index("ix_households_area", "desa_code", "dusun", "rt", "rw"),
    )

    kk: str = Field(default="", max_length=16)  # "" while the KK is not issued
    kk_pending: bool = False
    desa_code: str = Field(max_length=10)
    dusun: str = ""
    rt: str = ""
    rw: str = ""
    address: str = ""
    phone: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # Housing (domain.housing_codes); "" = not asked yet. Columns, not JSON: lists and dashboards filter on them.
    tenure: str = ""
    floor_area_m2: float | None = None
    floor_material: str = ""
    wall_material: str = ""
    roof_material: str = ""
    water_source: str = ""
    lighting: str = ""
    wattage: str = ""
    cooking_fuel: str = ""
    toilet_facility: str = ""
    toilet_type: str = ""
    sewage: str = ""
    assets: str = "[]"  # JSON list of Asset codes owned
    livestock: str = "{}"  # JSON object Livestock code -> count
    notes: str = ""
    desil: int | None = None  # server-owned (reference list)


class MemberRecord(SyncedRecord, table=True):
    """One person (domain.records.MemberPayload), in one household at a time."""

    __tablename__ = "members"
    __table_args__ = (
        Index("ix_members_nik", "nik"),
        Index("ix_members_temp_id", "temp_id"),
        Index("ix_members_household", "household_id"),
        Index("ix_members_birth_date", "birth_date"),
        Index("ix_members_name_key", "name_key"),
        Index("ix_members_sync_state", "sync_state"),
        Index("ix_members_updated_at", "updated_at"),
    )

    household_id: str = Field(max_length=36)
    nik: str = Field(default="", max_length=16)  # "" while only a temporary id
    temp_id: str = Field(default="", max_length=16)
    former_ids: str = "[]"  # JSON list of earlier temporary ids (history)
    name: str
    name_key: str  # domain.names.name_key(name): for matching, never shown
    birth_place: str = ""
    birth_date: date
    sex: str = Field(max_length=1)
    relation: str = ""  # domain.member_codes.Relation; "" = not known yet (migrated members)
    marital_status: str = ""
    education: str = ""
    school_status: str = ""
    occupation: str = ""
    difficulties: str = "{}"  # JSON Difficulty -> Severity
    chronic_illness: str = ""
    pregnant: bool = False
    ppks: str = ""  # comma-separated Ppks codes
    criteria: str = ""  # comma-separated domain.criteria codes
    phone: str = ""
    notes: str = ""
    override_reason: str = ""  # why a probable-duplicate warning was overridden
    desil: int | None = None  # server-owned (reference list)


class ProposalRecord(SyncedRecord, table=True):
    """One proposal (domain.records.ProposalPayload) and its review outcome."""

    __tablename__ = "proposals"
    __table_args__ = (
        # Rule 4 reads this: open proposals of one programme for one target.
        Index("ix_proposals_open", "programme", "target_id", sqlite_where=text("deleted = 0")),
        Index("ix_proposals_household", "household_id"),
        Index("ix_proposals_member", "member_id"),
        Index("ix_proposals_pengurus", "pengurus_id"),
        Index("ix_proposals_review", "review_state"),
        Index("ix_proposals_sync_state", "sync_state"),
        Index("ix_proposals_updated_at", "updated_at"),
        Index("ix_proposals_legacy_entry", "legacy_entry_id"),
    )

    type: str = "new"  # domain.proposal_codes.ProposalType
    programme: str
    household_id: str = Field(default="", max_length=36)
    member_id: str = Field(default="", max_length=36)
    target_id: str = Field(max_length=36)  # member_id for a person programme, else household_id
    pengurus_id: str = Field(default="", max_length=36)
    criteria: str = ""
    note: str = ""
    removal_reason: str = ""
    musdesus_decision: str = ""
    musdesus_date: str = ""
    musdesus_ref: str = ""
    musdesus_minutes_sha256: str = ""  # added by local_db.meeting_migration (step 5)
    # --- server-owned review columns
    review_state: str | None = None  # domain.states.ReviewState; None until the server has it
    review_reason_code: str | None = None
    review_note: str | None = None
    review_fields: str = "[]"  # JSON list of field names a return asks to fix
    field_check: str | None = None  # field verification outcome (PSM/TKSK)
    final_state: str | None = None  # the kabupaten's final decision
    # The entry this proposal was migrated from (its record_id is kept as this proposal's), else None.
    legacy_entry_id: str | None = Field(default=None, max_length=36)


RECORD_TABLES: dict[RecordType, type[SyncedRecord]] = {
    RecordType.HOUSEHOLD: HouseholdRecord, RecordType.MEMBER: MemberRecord, RecordType.PROPOSAL: ProposalRecord,
}
# Decided proposals no longer block a new one for the same programme and target (a removal after an
# approval is the normal cycle); a pending or returned one does.
CLOSED_REVIEW_STATES = ("APPROVED", "REJECTED")

# The duplicate lookups of rules 1, 2 and 4, as plain SQL (each reads its index; see the test).
SQL_SAME_NIK = ("SELECT record_id, household_id, name FROM members "
                "WHERE nik = ? AND nik != '' AND deleted = 0 AND record_id != ?")
SQL_SAME_TEMP_ID = "SELECT record_id, household_id, name FROM members WHERE temp_id = ? AND deleted = 0 AND record_id != ?"
SQL_SAME_KK = ("SELECT record_id, desa_code, address FROM households "
               "WHERE kk = ? AND kk != '' AND deleted = 0 AND record_id != ?")
SQL_OPEN_PROPOSAL = ("SELECT record_id, type, review_state FROM proposals "
                     "WHERE programme = ? AND target_id = ? AND deleted = 0 AND record_id != ? "
                     "AND (review_state IS NULL OR review_state NOT IN ('APPROVED', 'REJECTED'))")
