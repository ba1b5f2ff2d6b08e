"""Which files may be attached (the signed Musdesus minutes, later evidence photos): PDF, JPG or
PNG, recognised by their first bytes (a renamed .exe is refused whatever its name), at most 10 MB.

Pure: bytes in, media type out, or AttachmentRefused naming the file in Indonesian.
"""

from __future__ import annotations

from domain.errors import KnownError

MAX_BYTES = 10 * 1024 * 1024
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


class AttachmentRefused(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Berkas lampiran tidak bisa dipakai. Pilih berkas PDF, JPG atau PNG paling besar 10 MB."


def media_type(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """The file's media type, or AttachmentRefused saying what is wrong with `name`."""
    if not data:
        raise AttachmentRefused(f"Berkas {name} kosong. Pindai atau foto ulang berita acaranya.")
    if len(data) > max_bytes:
        mb = len(data) / (1024 * 1024)
        raise AttachmentRefused(
            f"Berkas {name} terlalu besar ({mb:.1f} MB); paling besar {max_bytes // (1024 * 1024)} MB. "
            "Pindai dengan resolusi lebih rendah atau simpan sebagai JPG.")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    raise AttachmentRefused(f"Berkas {name} bukan PDF, JPG atau PNG. Lampirkan hasil pindaian (PDF) atau foto "
                            "(JPG/PNG) berita acara.")
