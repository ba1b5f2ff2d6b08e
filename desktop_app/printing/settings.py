"""The printing settings of this installation, kept in the store's meta table.

Meta key "print_kop": the kop (letterhead) lines, separated by newlines. Unset: a default built
from the desa's region names (PEMERINTAH KABUPATEN ... / KECAMATAN ... / DESA ...).
"""

from __future__ import annotations

from typing import Protocol

from domain import regions

KOP_KEY = "print_kop"
MAX_KOP_LINES = 6


class MetaStore(Protocol):
    desa_code: str | None

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


def desa_kind(desa_code: str | None) -> str:
    """Kemendagri codes: the desa part starts with 1 for a kelurahan, 2 for a desa."""
    digits = regions.digits_of(desa_code or "")
    return "Kelurahan" if len(digits) == 10 and digits[6] == "1" else "Desa"


def default_kop(desa_code: str | None) -> tuple[str, ...]:
    if not desa_code:
        return ("PEMERINTAH DESA",)
    chain = regions.parents(desa_code)
    names = {r.level: r.name for r in chain}
    desa = names.get(4) or regions.name_of(desa_code) or regions.dotted(desa_code)
    lines = []
    if 2 in names:
        lines.append(f"PEMERINTAH {names[2].upper()}")
    if 3 in names:
        lines.append(f"KECAMATAN {names[3].upper()}")
    lines.append(f"{desa_kind(desa_code).upper()} {desa.upper()}")
    return tuple(lines)


def clean_kop(text: str) -> tuple[str, ...]:
    """Lines as typed ('|' also separates them on a command line), blank ones dropped, at most 6."""
    lines = [ln.strip() for ln in text.replace("|", "\n").splitlines()]
    return tuple(ln for ln in lines if ln)[:MAX_KOP_LINES]


def kop_lines(store: MetaStore) -> tuple[str, ...]:
    saved = clean_kop(store.get_meta(KOP_KEY) or "")
    return saved or default_kop(store.desa_code)


def save_kop(store: MetaStore, text: str) -> tuple[str, ...]:
    """Store the kop; an empty text goes back to the default. Returns the lines now in force."""
    lines = clean_kop(text)
    store.set_meta(KOP_KEY, "\n".join(lines))
    return kop_lines(store)
