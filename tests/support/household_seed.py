"""The demo desa of tests.support.seed as households, members and proposals (the household model),
written through local_db.household_repo as the app writes them (records, outbox ops, audit rows).

    ids = seed_households(data_dir)   # proposal ids, one per demo row (tests.support.seed.demo_rows order)

Each family is one household; its first member is the head (kepala keluarga) and the pengurus of the
family's household programme (PKH / BPNT / BLT-DD); every other member has a PBI-JK proposal.
`with_states=True` then sets review outcomes on some proposals as a sync pull would (seed.STATES).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from desktop_app.context import AppContext
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload
from local_db import household_repo as hr
from local_db.repository import session_scope
from tests.support.seed import DESA, FAMILIES, OPERATOR, STATES, kk_for, nik_for


def seed_households(data_dir: Path, *, with_states: bool = True, operator: str = OPERATOR) -> list[str]:
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name=operator)
        who = hr.Who(operator, ctx.device_id)
        ids: list[str] = []
        serial = 1
        with session_scope(ctx.engine, write=True) as s:
            for fi, fam in enumerate(FAMILIES):
                hid = hr.save_household(s, HouseholdPayload(
                    kk=kk_for(fam, 3100 + fi), desa_code=DESA, dusun=fam.dusun, rt=fam.rt, rw=fam.rw,
                    address=fam.address, phone=fam.phone), who).record_id
                for mi, p in enumerate(fam.members):
                    relation = ("kepala_keluarga" if mi == 0 else "istri" if mi == 1 and p.sex == "P" else "anak")
                    mid = hr.save_member(s, MemberPayload(
                        household_id=hid, nik=nik_for(p, serial), name=p.name, birth_place=p.place,
                        birth_date=p.born.isoformat(), sex=p.sex, relation=relation, criteria=list(p.criteria),
                        phone=fam.phone if mi == 0 else ""), who).record_id
                    serial += 1
                    proposal = (ProposalPayload(programme=fam.programme, household_id=hid, pengurus_id=mid)
                                if mi == 0 else ProposalPayload(programme="PBI-JK", member_id=mid))
                    ids.append(hr.save_proposal(s, proposal, who).record_id)
        if with_states:
            mark_states(ctx, ids)
    return ids


def mark_states(ctx: AppContext, ids: list[str]) -> None:
    """Set the server-owned columns of some proposals the way a sync pull would (demo only)."""
    with ctx.engine.begin() as conn:
        for i, sync, review, code, note in STATES:
            if i < len(ids):
                conn.execute(text(
                    "UPDATE proposals SET sync_state=:s, review_state=:r, review_reason_code=:c, review_note=:n, "
                    "server_version=1, base_version=1 WHERE record_id=:id"),
                    {"s": str(sync), "r": str(review) if review else None, "c": code, "n": note, "id": ids[i]})
