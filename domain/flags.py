"""Flag codes on an entry under review, defined once for server, review client and UI.

The server stores and sends the first group (sync.review_protocol.FLAG_TEXT gives its wording);
the reviewer's client derives the last three from the server's decode of the NIK/KK and the
warnings recorded with the entry (never stored). The reviewer's explanations live in
desktop_app/review/flags.py, keyed by these members.
"""

from __future__ import annotations

from enum import StrEnum


class FlagCode(StrEnum):
    DUP_NIK = "DUP_NIK"  # the same NIK on another entry (maybe in another desa)
    DUP_KK = "DUP_KK"  # the same KK already has an entry in the programme
    DUP_PERSON = "DUP_PERSON"  # probably the same person under another NIK
    REF_MATCH = "REF_MATCH"  # in the reference list of recipients
    REF_REJECT = "REF_REJECT"  # a central recipient: rejected automatically for a regional programme
    EDITED_AFTER_APPROVAL = "EDITED_AFTER_APPROVAL"
    RESUBMITTED = "RESUBMITTED"  # sent again after a rejection or a return
    CONFLICT_SOFT = "CONFLICT_SOFT"  # stale base, other fields: merged automatically
    CONFLICT_HARD = "CONFLICT_HARD"  # stale base, same fields: someone picks per field
    DATA_WARNING = "DATA_WARNING"  # saved in the village despite a data warning
    OVERRIDE = "OVERRIDE"  # saved despite a probable-duplicate warning, with a reason
    # Derived by the review client, never sent by the server:
    NIK_INVALID = "NIK_INVALID"
    KK_INVALID = "KK_INVALID"
    NIK_MISMATCH = "NIK_MISMATCH"  # typed birth date or sex contradicts the NIK


# Duplicate-group kind (server/services/duplicates.py) -> the flag its members carry: "nik" and "person"
# on members, "kk" on households (same KK in two villages), "kk_programme" on proposals (rule 4: programme|target).
DUP_FLAGS: dict[str, FlagCode] = {"nik": FlagCode.DUP_NIK, "kk": FlagCode.DUP_KK, "kk_programme": FlagCode.DUP_KK,
                                  "person": FlagCode.DUP_PERSON}
REF_FLAGS = (FlagCode.REF_MATCH, FlagCode.REF_REJECT)
# Cleared when a reviewer decides: they describe why the entry is (again) waiting.
DECISION_CLEARS = (FlagCode.EDITED_AFTER_APPROVAL, FlagCode.RESUBMITTED, FlagCode.CONFLICT_SOFT)
