"""Code lists of a proposal (usulan): its type, the reason of a removal, the Musdesus decision.

The type codes are what `bansos propose --type` takes; parse() also accepts the Indonesian words.
"""

from __future__ import annotations

from enum import StrEnum

from domain.codelist import CodeList


class ProposalType(StrEnum):
    NEW = "new"
    CORRECTION = "correction"
    REMOVAL = "removal"


PROPOSAL_TYPE = CodeList(ProposalType, "Jenis usulan", {
    ProposalType.NEW: "Usulan baru",
    ProposalType.CORRECTION: "Perbaikan data",
    ProposalType.REMOVAL: "Penghapusan/penonaktifan",
}, aliases={"baru": ProposalType.NEW, "perbaikan": ProposalType.CORRECTION, "hapus": ProposalType.REMOVAL,
            "penghapusan": ProposalType.REMOVAL, "penonaktifan": ProposalType.REMOVAL})


class RemovalReason(StrEnum):
    DIED = "died"
    MOVED = "moved"
    NO_LONGER_ELIGIBLE = "no_longer_eligible"
    DUPLICATE = "duplicate"
    NOT_FOUND = "not_found"
    OTHER = "other"


REMOVAL_REASON = CodeList(RemovalReason, "Alasan penghapusan", {
    RemovalReason.DIED: "Meninggal dunia",
    RemovalReason.MOVED: "Pindah domisili",
    RemovalReason.NO_LONGER_ELIGIBLE: "Mampu / tidak layak lagi",
    RemovalReason.DUPLICATE: "Data ganda",
    RemovalReason.NOT_FOUND: "Tidak ditemukan di alamat",
    RemovalReason.OTHER: "Alasan lain (lihat catatan)",
}, aliases={"meninggal": RemovalReason.DIED, "pindah": RemovalReason.MOVED, "mampu": RemovalReason.NO_LONGER_ELIGIBLE,
            "tidak layak": RemovalReason.NO_LONGER_ELIGIBLE, "ganda": RemovalReason.DUPLICATE,
            "lainnya": RemovalReason.OTHER})
NOTE_REQUIRED_REASONS = frozenset({RemovalReason.OTHER})


class MusdesusDecision(StrEnum):
    AGREED = "agreed"
    NOT_AGREED = "not_agreed"


MUSDESUS_DECISION = CodeList(MusdesusDecision, "Keputusan Musdesus", {
    MusdesusDecision.AGREED: "Disepakati Musdesus",
    MusdesusDecision.NOT_AGREED: "Tidak disepakati Musdesus",
}, aliases={"setuju": MusdesusDecision.AGREED, "disetujui": MusdesusDecision.AGREED,
            "tidak setuju": MusdesusDecision.NOT_AGREED})
