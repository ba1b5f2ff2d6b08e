"""One coded answer list: stable codes (a StrEnum, what is stored and sent) and their Indonesian labels
(what the operator reads, as on the BPS/DTSEN questionnaire or the KK).

    class Tenure(StrEnum): MILIK_SENDIRI = "milik_sendiri"; ...
    TENURE = CodeList(Tenure, "Status kepemilikan rumah", {Tenure.MILIK_SENDIRI: "Milik sendiri", ...})
    TENURE.label("milik_sendiri") -> "Milik sendiri"
    TENURE.parse("Milik Sendiri") -> Tenure.MILIK_SENDIRI   (code or label, any case and spacing)
    TENURE.issue("tenure", "rumah") -> Issue(error, names the field and the choices)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from domain.issues import Issue, error

E = TypeVar("E", bound=StrEnum)


def _key(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


class CodeList(Generic[E]):
    """An ordered code list with a label for every code (checked when the list is built)."""

    def __init__(self, enum: type[E], title: str, labels: Mapping[E, str],
                 aliases: Mapping[str, E] | None = None) -> None:
        missing = [m.value for m in enum if m not in labels]
        if missing:
            raise ValueError(f"{enum.__name__}: no label for {missing}")
        self.enum = enum
        self.title = title  # the question, e.g. "Status kepemilikan rumah"
        self._labels: dict[E, str] = {m: labels[m] for m in enum}
        self._by_key: dict[str, E] = {}
        for m, text in self._labels.items():
            self._by_key[_key(m.value)] = m
            self._by_key.setdefault(_key(text), m)
        for text, m in (aliases or {}).items():
            self._by_key.setdefault(_key(text), m)

    def __iter__(self) -> Iterator[E]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.enum._value2member_map_

    def label(self, code: str) -> str:
        """The Indonesian label of a code (an unknown code is shown as it is)."""
        member = self.enum._value2member_map_.get(code)
        return self._labels[member] if member is not None else code  # type: ignore[index]

    def items(self) -> list[tuple[E, str]]:
        return list(self._labels.items())

    def parse(self, text: str | None) -> E | None:
        """A code from a code or a label, ignoring case, spacing and underscores; None if unknown."""
        return self._by_key.get(_key(text or "")) if text else None

    def choices_text(self) -> str:
        return ", ".join(f"{m.value} ({t})" for m, t in self._labels.items())

    def issue(self, fld: str, value: str) -> Issue:
        """The error for an unknown code in field `fld`."""
        return error(fld, "unknown_code", f"{self.title}: '{value}' tidak dikenal. Pilihan: {self.choices_text()}.")

    def check(self, fld: str, value: str | None, *, required: bool = False) -> Issue | None:
        """None when `value` is a code of this list (or empty and not required), else the error."""
        if not value:
            return error(fld, "empty", f"{self.title} wajib diisi.") if required else None
        return None if value in self else self.issue(fld, value)
