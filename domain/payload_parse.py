"""Building a record payload from what a form, a CSV row or a request carries, with schema errors
turned into Indonesian findings naming the field (never a pydantic message or a traceback).

    payload, issues = parse_payload(HouseholdPayload, row)
    if payload is None: show(issues)           # e.g. "Luas lantai harus angka ..."
    else: findings = validate_household(payload, ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from domain import household_check, member_check, proposal_check
from domain.issues import Issue, error

M = TypeVar("M", bound=BaseModel)

LABELS: dict[str, str] = {
    **{fld: lst.title for fld, lst in household_check.HOUSING_LISTS.items()},
    **household_check.LABELS, **member_check.LABELS, **proposal_check.LABELS,
    "housing": "Data rumah",
}


def parse_payload(model: type[M], data: Mapping[str, Any]) -> tuple[M | None, list[Issue]]:
    try:
        return model.model_validate(dict(data)), []
    except ValidationError as exc:
        return None, [_issue(e) for e in exc.errors()]


def _issue(e: Mapping[str, Any]) -> Issue:
    loc = [str(p) for p in e.get("loc", ())]
    # The field is the first named part ("housing", then "floor_area_m2"); a dict key (livestock's
    # "sapi") is shown beside the field's label.
    named = [p for p in loc if p in LABELS]
    fld = named[-1] if named else (loc[0] if loc else "data")
    label = LABELS.get(fld, fld)
    extra = [p for p in loc[loc.index(fld) + 1:] if not p.isdigit()] if fld in loc else []
    if extra:
        label = f"{label} ({', '.join(extra)})"
    kind = str(e.get("type", ""))
    ctx = e.get("ctx") or {}
    if kind == "missing":
        msg = f"{label} wajib diisi."
    elif kind == "extra_forbidden":
        msg = f"Kolom '{fld}' tidak dikenal."
    elif kind == "string_too_long":
        msg = f"{label} terlalu panjang (maksimal {ctx.get('max_length')} huruf)."
    elif kind == "too_long":
        msg = f"{label} terlalu banyak (maksimal {ctx.get('max_length')})."
    elif kind in ("float_parsing", "float_type"):
        msg = f"{label} harus angka (pakai titik untuk desimal, misalnya 36.5)."
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        msg = f"{label} harus bilangan bulat."
    elif kind in ("bool_parsing", "bool_type"):
        msg = f"{label} harus ya atau tidak."
    elif kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        msg = f"{label} bentuknya tidak sesuai."
    else:
        msg = f"{label} tidak valid."
    return error(fld, "payload", msg)
