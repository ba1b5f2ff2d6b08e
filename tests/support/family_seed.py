"""The demo families (tests.support.seed.FAMILIES) as households, members and proposals.

    from tests.support.family_seed import seed_households
    ids = seed_households(data_dir)   # creates the store, sets desa + operator, saves through the service

Everything goes through HouseholdService (the path the operator's app uses): records, outbox ops
and audit rows are real. The first person of a family is its head, a woman after him his wife, the
others children; each family gets its programme (pengurus: the wife when there is one) and every
child a PBI-JK proposal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.context import AppContext
from desktop_app.services.households import HouseholdService, proposal_from
from tests.support.seed import DESA, FAMILIES, OPERATOR, kk_for, nik_for


@dataclass(slots=True)
class SeededFamily:
    household_id: str
    kk: str
    member_ids: list[str] = field(default_factory=list)
    proposal_ids: list[str] = field(default_factory=list)


def service(ctx: AppContext) -> HouseholdService:
    return HouseholdService(ctx.engine, operator=ctx.operator_name, device_id=ctx.device_id,
                            desa_code=ctx.desa_code, catalogue=ctx.catalogue)


def seed_households(data_dir: Path, *, operator: str = OPERATOR) -> list[SeededFamily]:
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
                {"programme": fam.programme, "household_id": hid, "pengurus_id": wife})).record_id)
            for mi, mid in enumerate(seeded.member_ids):
                if mi >= 2:
                    seeded.proposal_ids.append(svc.save_proposal(proposal_from(
                        {"programme": "PBI-JK", "member_id": mid})).record_id)
            out.append(seeded)
    return out
