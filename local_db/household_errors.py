"""Expected refusals of the household store (duplicate rules, wrong target, missing record), each a
KnownError with Indonesian text naming the field; `field` lets a form put the message beside it."""

from __future__ import annotations

from domain.errors import KnownError


class RecordRefused(KnownError):
    """A household, member or proposal that cannot be saved as given."""

    def __init__(self, message: str = "", *, field: str = "", code: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.code = code

    @classmethod
    def default_message(cls) -> str:
        return "Data tidak dapat disimpan."


class InvalidRecord(RecordRefused):
    """The domain check found an error (the first one is the message; all are in `issues`)."""


class RecordNotFound(RecordRefused):
    @classmethod
    def default_message(cls) -> str:
        return "Data tidak ditemukan (mungkin sudah dihapus)."


class DuplicateMember(RecordRefused):
    """Rule 1: the NIK (or temporary id) is already on another member."""


class DuplicateHousehold(RecordRefused):
    """Rule 2: the KK is already on another household."""


class DuplicateProposal(RecordRefused):
    """Rule 4: an open proposal for the same programme and target exists."""


class ReferenceRecipientRefused(RecordRefused):
    """Rule 5: the reference list says this target may not get the programme."""


class WrongTarget(RecordRefused):
    """The programme does not fit the target (a household programme on a member, or the reverse)."""
