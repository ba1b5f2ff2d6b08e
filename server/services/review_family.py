"""Proposals as the reviewer reads them (sync.review_protocol.ReviewProposal): each with its household,
every live member of it, and the member it is about (the person target or the pengurus), flags explained
and linked to the other records of their duplicate groups. A page of proposals costs a fixed handful of
IN queries, whatever its size."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from domain import regions
from domain.flags import DUP_FLAGS
from domain.idnumbers import parse_kk, parse_nik
from domain.programmes import Catalogue, Target, UnknownProgramme
from domain.reasons import reason_text
from server.models import DuplicateGroup, DuplicateMember, HouseholdRow, MemberRow, ProposalRow, table_of
from server.services import bulk
from server.services.entries import flags_of
from sync.review_protocol import (
    FLAG_TEXT,
    Flag,
    GroupState,
    HouseholdInfo,
    IdInfo,
    MemberInfo,
    ReviewProposal,
)

HOUSEHOLD, MEMBER, PROPOSAL = table_of(HouseholdRow), table_of(MemberRow), table_of(ProposalRow)
_KINDS_OF_FLAG: dict[str, set[str]] = defaultdict(set)
for _kind, _flag in DUP_FLAGS.items():
    _KINDS_OF_FLAG[_flag].add(_kind)

Row = dict[str, Any]
Related = dict[str, list[str]]  # record_id|flag -> the other records of its live groups of that flag's kinds


def _loads(v: Any, default: Any) -> Any:
    if v is None or v == "":
        return default
    return json.loads(v) if isinstance(v, str) else v


def rows_by_id(session: Session, table: Any, ids: Iterable[str]) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for part in bulk.chunks(sorted({i for i in ids if i})):
        for r in session.execute(sa_select(table).where(bulk.one_of(session, table.c.record_id, part))):
            out[r.record_id] = dict(r._mapping)
    return out


def id_info(kind: str, raw: str) -> IdInfo | None:
    if not raw:
        return None
    n = parse_nik(raw) if kind == "nik" else parse_kk(raw)
    r = n.region
    region = ", ".join(x for x in (r.kecamatan_name, r.kabkota_name, r.province_name) if x)
    return IdInfo(digits=n.digits, valid=n.valid, region=region, date_text=n.date_text, sex=n.sex,
                  problems=[i.message for i in (*n.errors, *n.warnings)])


def related_records(session: Session, record_ids: Iterable[str]) -> Related:
    """"<record_id>|<flag>" -> the other records of its open or settled groups of the flag's kinds."""
    ids = sorted(set(record_ids))
    groups: dict[int, str] = {}
    mine: dict[int, set[str]] = defaultdict(set)
    for part in bulk.chunks(ids):
        stmt = (sa_select(DuplicateMember.group_id, DuplicateMember.record_id, DuplicateGroup.kind)  # type: ignore[call-overload]
                .join(DuplicateGroup, col(DuplicateGroup.id) == col(DuplicateMember.group_id))
                .where(bulk.one_of(session, col(DuplicateMember.record_id), part),
                       col(DuplicateGroup.state) != GroupState.DISSOLVED))
        for gid, rid, kind in session.execute(stmt):
            groups[gid] = kind
            mine[gid].add(rid)
    out: Related = defaultdict(list)
    if not groups:
        return out
    members: dict[int, list[str]] = defaultdict(list)
    for part in bulk.chunks(sorted(groups)):
        for gid, rid in session.execute(sa_select(DuplicateMember.group_id, DuplicateMember.record_id)  # type: ignore[call-overload]
                                        .where(bulk.one_of(session, col(DuplicateMember.group_id), part))):
            members[gid].append(rid)
    for gid, rids in mine.items():
        flag = DUP_FLAGS.get(groups[gid])
        for rid in rids:
            out[f"{rid}|{flag}"] += [m for m in members[gid] if m != rid]
    return out


def flags(row: Row, related: Related) -> list[Flag]:
    out = []
    for code in flags_of(row):
        rel = sorted(set(related.get(f"{row['record_id']}|{code}", []))) if code in _KINDS_OF_FLAG else []
        out.append(Flag(code=code, message=FLAG_TEXT.get(code, code), related_record_ids=rel))
    return out


def household_info(row: Row, related: Related) -> HouseholdInfo:
    payload = _loads(row["payload"], {})
    return HouseholdInfo(record_id=row["record_id"], version=row["version"], desa_code=row["desa_code"],
                         payload=payload, kk_info=id_info("kk", row.get("kk") or payload.get("kk", "")),
                         desil=row.get("desil"), flags=flags(row, related), deleted=bool(row["deleted"]),
                         voided=bool(row["voided"]), conflict=_loads(row.get("conflict"), None))


def member_info(row: Row, related: Related, *, decode: bool = True) -> MemberInfo:
    """`decode`: read the NIK back (the member a proposal is about; the client shows the others' as typed)."""
    payload = _loads(row["payload"], {})
    return MemberInfo(record_id=row["record_id"], version=row["version"], desa_code=row["desa_code"],
                      payload=payload, nik_info=id_info("nik", row.get("nik") or payload.get("nik", "")) if decode else None,
                      desil=row.get("desil"), flags=flags(row, related), warnings=_loads(row.get("warnings"), []),
                      deleted=bool(row["deleted"]), voided=bool(row["voided"]), conflict=_loads(row.get("conflict"), None))


def _target(row: Row, catalogue: Catalogue) -> str:
    if row.get("member_id") and not row.get("household_id"):
        return Target.PERSON
    try:
        prog = catalogue.resolve(row["programme"])
    except UnknownProgramme:
        return Target.PERSON if row.get("member_id") else Target.HOUSEHOLD
    return prog.target or Target.HOUSEHOLD


class Family:
    """The households and members a set of proposals needs, read in a few IN queries."""

    def __init__(self, session: Session, proposals: Sequence[Row]) -> None:
        person_ids = {p["member_id"] for p in proposals} | {p["pengurus_id"] for p in proposals}
        people = rows_by_id(session, MEMBER, person_ids)
        household_ids = {p["household_id"] for p in proposals} | {m["household_id"] for m in people.values()}
        self.households = rows_by_id(session, HOUSEHOLD, household_ids)
        self.members: dict[str, list[Row]] = defaultdict(list)
        for part in bulk.chunks(sorted(h for h in household_ids if h)):
            for r in session.execute(sa_select(MEMBER).where(bulk.one_of(session, MEMBER.c.household_id, part))):
                m = dict(r._mapping)
                self.members[m["household_id"]].append(m)
                people.setdefault(m["record_id"], m)
        self.people = people
        ids = {p["record_id"] for p in proposals} | set(self.households) | set(self.people)
        self.related = related_records(session, ids)

    def household_of(self, p: Row) -> Row | None:
        hid = p["household_id"] or (self.people.get(p["member_id"]) or {}).get("household_id", "")
        return self.households.get(hid)


def review_proposal(p: Row, fam: Family, catalogue: Catalogue) -> ReviewProposal:
    """One proposal row with its family (`fam` holds what the page needs)."""
    h = fam.household_of(p)
    about = p["member_id"] or p["pengurus_id"]
    members = [member_info(m, fam.related, decode=m["record_id"] == about)
               for m in fam.members.get(h["record_id"], [])] if h else []
    member = next((m for m in members if m.record_id == about), None)
    if member is None and about in fam.people:
        member = member_info(fam.people[about], fam.related)  # moved to another household since
    code = p.get("review_reason_code")
    return ReviewProposal(
        record_id=p["record_id"], version=p["version"], change_seq=p["change_seq"], desa_code=p["desa_code"],
        desa_name=regions.name_of(p["desa_code"]) or "", payload=_loads(p["payload"], {}),
        target=_target(p, catalogue), household=household_info(h, fam.related) if h else None,
        members=[m for m in members if not (m.deleted or m.voided)], member_id=about,
        member=member if member is not None and member.record_id not in {m.record_id for m in members} else None,
        review_state=p["review_state"], review_reason_code=code, review_reason_text=reason_text(code) if code else None,
        review_note=p.get("review_note"), review_fields=_loads(p.get("review_fields"), []),
        approved_version=p.get("approved_version"), flags=flags(p, fam.related),
        warnings=_loads(p.get("warnings"), []), deleted=bool(p["deleted"]), voided=bool(p["voided"]),
        conflict=_loads(p.get("conflict"), None), batch_id=p.get("last_batch_id") or "", updated_at=p["updated_at"])


def review_proposals(session: Session, rows: Sequence[Row], catalogue: Catalogue) -> list[ReviewProposal]:
    fam = Family(session, rows)
    return [review_proposal(p, fam, catalogue) for p in rows]
