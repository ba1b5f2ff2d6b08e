"""Assistance programmes: one list, extended by configuration with provincial/regency programmes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from domain.errors import KnownError


class Target(StrEnum):
    """Who a programme's aid goes to: a family (KPM, one proposal per household) or one person."""

    HOUSEHOLD = "household"
    PERSON = "person"


TARGET_LABELS = {Target.HOUSEHOLD: "keluarga (KPM)", Target.PERSON: "perorangan"}


class SourceLevel(StrEnum):
    PUSAT = "pusat"
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"


@dataclass(frozen=True, slots=True)
class Programme:
    code: str
    name: str
    level: SourceLevel
    # One family, one aid: unless True, a second KK member in the same programme is blocked.
    multiple_per_kk: bool = False
    # Reference-list rule: by default a provinsi/kabupaten programme refuses existing pusat recipients.
    allow_pusat_recipients: bool = False
    # Household or person; None: a person programme if several members of a KK may have it, else household.
    target: Target | None = None

    def __post_init__(self) -> None:
        if self.target is None:
            object.__setattr__(self, "target", Target.PERSON if self.multiple_per_kk else Target.HOUSEHOLD)

    @property
    def is_household(self) -> bool:
        return self.target is Target.HOUSEHOLD


BUILTIN: tuple[Programme, ...] = (
    Programme("PKH", "Program Keluarga Harapan", SourceLevel.PUSAT, target=Target.HOUSEHOLD),
    Programme("BPNT", "Bantuan Pangan Non Tunai / Sembako", SourceLevel.PUSAT, target=Target.HOUSEHOLD),
    Programme("BST", "Bantuan Sosial Tunai", SourceLevel.PUSAT, target=Target.HOUSEHOLD),
    Programme("BLT-DD", "BLT Dana Desa", SourceLevel.PUSAT, target=Target.HOUSEHOLD),
    Programme("PBI-JK", "Penerima Bantuan Iuran Jaminan Kesehatan", SourceLevel.PUSAT, multiple_per_kk=True,
              target=Target.PERSON),
)
_ALIASES = {"SEMBAKO": "BPNT", "BLTDD": "BLT-DD", "BLT DANA DESA": "BLT-DD", "PBI": "PBI-JK", "PBIJK": "PBI-JK"}


class UnknownProgramme(KnownError, ValueError):
    """A programme code or name not in the catalogue (still a ValueError for older callers)."""

    @classmethod
    def default_message(cls) -> str:
        return "Program tidak dikenal."


class Catalogue:
    """The programmes in force: the built-ins plus configured provincial/regency ones."""

    def __init__(self, extra: Iterable[Programme] = ()) -> None:
        self._by_code: dict[str, Programme] = {p.code: p for p in BUILTIN}
        for p in extra:
            self._by_code[p.code.upper()] = p

    @classmethod
    def from_config(cls, items: Iterable[Mapping[str, object]]) -> Catalogue:
        progs = [
            Programme(
                code=str(it["code"]).strip().upper(),
                name=str(it["name"]).strip(),
                level=SourceLevel(str(it.get("level", "kabupaten")).lower()),
                multiple_per_kk=bool(it.get("multiple_per_kk", False)),
                allow_pusat_recipients=bool(it.get("allow_pusat_recipients", False)),
                target=_target(it.get("target"), it.get("code")),
            )
            for it in items
        ]
        return cls(progs)

    @classmethod
    def from_file(cls, path: Path | None) -> Catalogue:
        if path is None or not path.exists():
            return cls()
        return cls.from_config(json.loads(path.read_text(encoding="utf-8")))

    def all(self) -> list[Programme]:
        return list(self._by_code.values())

    def for_target(self, target: Target) -> list[Programme]:
        """The programmes a proposal on this kind of target may name (a form offers only these)."""
        return [p for p in self._by_code.values() if p.target is target]

    def get(self, code: str) -> Programme | None:
        return self._by_code.get(code.upper())

    def resolve(self, text: str) -> Programme:
        """Accept a code or a name, case-insensitively ('pkh', 'Sembako', 'blt dana desa')."""
        key = " ".join((text or "").split()).upper()
        if not key:
            raise UnknownProgramme("Program wajib diisi.")
        key = _ALIASES.get(key, key)
        if key in self._by_code:
            return self._by_code[key]
        for p in self._by_code.values():
            if p.name.upper() == key:
                return p
        raise UnknownProgramme(
            f"Program '{text}' tidak dikenal. Pilihan: {', '.join(sorted(self._by_code))}."
        )


def _target(value: object, code: object) -> Target | None:
    if value is None or value == "":
        return None
    try:
        return Target(str(value).strip().lower())
    except ValueError:
        raise UnknownProgramme(
            f"Program {code}: sasaran '{value}' tidak dikenal; isi 'household' (keluarga) atau 'person' (perorangan)."
        ) from None


DEFAULT = Catalogue()
