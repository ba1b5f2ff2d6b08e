"""The local store's expected errors, apart from the engine so every local_db module can raise them.

`StoreError` is the base: a locked, damaged, unreadable or too-new store. Its message (Indonesian)
is what the operator sees; the GUI bridge and the CLI guard know it by its base `KnownError`.
"""

from __future__ import annotations

from domain.errors import KnownError


class StoreError(KnownError):
    """An expected problem with the local store; `message` says what to do, in Indonesian."""

    @classmethod
    def default_message(cls) -> str:
        return "Basis data lokal tidak bisa dipakai saat ini. Coba lagi; bila tetap gagal, hubungi petugas IT."
