"""The demo families (tests.support.seed.FAMILIES) as households, members and proposals.

    from tests.support.household_seed import seed_households
    families = seed_households(data_dir)   # creates the store, sets desa + operator, saves through the service

Everything goes through HouseholdService (the path the operator's app uses): records, outbox ops
and audit rows are real. The first person of a family is its head, a woman after him his wife, the
others children; each family gets its programme (pengurus: the wife when there is one) and every
child a PBI-JK proposal. `with_states=True` then sets review outcomes on some proposals as a sync
pull would (seed.STATES, indexed over the proposals in seeding order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from desktop_app.context import AppContext
from desktop_app.services.households import HouseholdService, proposal_from
from tests.support.seed import DESA, FAMILIES, OPERATOR, STATES, kk_for, nik_for


@dataclass(slots=True)
class SeededFamily:
    household_id: str
    kk: str
    member_ids: list[str] = field(default_factory=list)
    proposal_ids: list[str] = field(default_factory=list)


def service(ctx: AppContext) -> HouseholdService:
    return HouseholdService(ctx.engine, operator=ctx.operator_name, device_id=ctx.device_id,
                            desa_code=ctx.desa_code, catalogue=ctx.catalogue)


def seed_households(data_dir: Path, *, per_person: bool = False, with_states: bool = False,
                    operator: str = OPERATOR) -> list[SeededFamily]:
    """`per_person`: one proposal a person, as the demo rows (seed.demo_rows) had one entry a person:
    the head is the pengurus of the family programme, every other member gets PBI-JK (the shape
    the printing tests and seed.STATES count on)."""
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name=operator)
        svc = service(ctx)
        out: list[SeededFamily] = []
        serial = 1
        for fi, fam in enumerate(FAMILIES):
            kk = kk_for(fam, 3100 + fi)
            hid = svc.save_household({"kk": kk, "dusun": fam.dusun, "rt": fam.rt, "rw": fam.rw,
                                      "address": fam.address, "phone": fam.phone}).record_id
            seeded = SeededFamily(hid, kk)
            for mi, p in enumerate(fam.members):
                relation = "kepala_keluarga" if mi == 0 else "istri" if mi == 1 and p.sex == "P" else "anak"
                married = "kawin" if relation != "anak" else "belum_kawin"
                if len(fam.members) == 1:
                    married = "cerai_mati"
                seeded.member_ids.append(svc.save_member({
                    "household_id": hid, "nik": nik_for(p, serial), "name": p.name, "birth_place": p.place,
                    "birth_date": p.born.isoformat(), "sex": p.sex, "relation": relation, "marital_status": married,
                    "criteria": list(p.criteria)}, override_reason="data demo").record_id)
                serial += 1
            wife = seeded.member_ids[1] if len(fam.members) > 1 and fam.members[1].sex == "P" else seeded.member_ids[0]
            seeded.proposal_ids.append(svc.save_proposal(proposal_from(
                {"programme": fam.programme, "household_id": hid,
                 "pengurus_id": seeded.member_ids[0] if per_person else wife})).record_id)
            for mi, mid in enumerate(seeded.member_ids):
                if mi >= (1 if per_person else 2):
                    seeded.proposal_ids.append(svc.save_proposal(proposal_from(
                        {"programme": "PBI-JK", "member_id": mid})).record_id)
            out.append(seeded)
        if with_states:
            mark_states(ctx, [pid for f in out for pid in f.proposal_ids])
    return out


def mark_states(ctx: AppContext, ids: list[str]) -> None:
    """Set the server-owned columns of some proposals the way a sync pull would (demo only)."""
    with ctx.engine.begin() as conn:
        for i, sync, review, code, note in STATES:
            if i < len(ids):
                conn.execute(text(
                    "UPDATE proposals SET sync_state=:s, review_state=:r, review_reason_code=:c, review_note=:n, "
                    "server_version=1, base_version=1 WHERE record_id=:id"),
                    {"s": str(sync), "r": str(review) if review else None, "c": code, "n": note, "id": ids[i]})
