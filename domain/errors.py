"""The one error model (design.md §2).

An expected failure — bad input, offline, refused by the server, a locked or unreadable store, a bad
file — is a `KnownError` (or a subclass) carrying the Indonesian text the user sees. Everything else
is a bug: logged with its traceback and shown as "unexpected error" with the log's path. The GUI's
message bridge and the CLI's command guard decide which is which by type alone.
"""

from __future__ import annotations


class KnownError(Exception):
    """An expected failure; `message` is Indonesian, names the field or row, and says what to do."""

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = message or self.default_message()

    @classmethod
    def default_message(cls) -> str:
        return "Permintaan tidak dapat diproses."

    def __str__(self) -> str:
        return self.message


def user_message(exc: BaseException) -> str | None:
    """The user-facing text of an expected error, or None when `exc` is a bug."""
    if isinstance(exc, KnownError):
        return exc.message
    return None
