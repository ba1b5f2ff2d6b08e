"""Photos sent with a report: JPEG or PNG only, re-written without metadata (EXIF holds the GPS
position of the house and the phone's details) before anything is stored. Standard library only."""

from __future__ import annotations

import struct
import zlib

from domain.errors import KnownError

_JPEG_SOI = b"\xff\xd8"
_PNG_SIG = b"\x89PNG\r\n\x1a\n"
# JPEG segments kept: quantisation/huffman tables, frame and scan headers, restart interval, JFIF (APP0),
# Adobe (APP14, colour transform). Every other APPn (EXIF/XMP in APP1, ...) and comments are dropped.
_KEEP_APP = {0xE0, 0xEE}
# PNG chunks kept: the image and how to draw it; text, time and eXIf chunks are dropped.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs"}


class PhotoRefused(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Foto tidak dapat dibaca; kirim foto berformat JPG atau PNG."


def strip(data: bytes, *, max_bytes: int) -> tuple[str, bytes]:
    """(content type, the image without metadata), or PhotoRefused."""
    if len(data) > max_bytes:
        raise PhotoRefused(f"Foto terlalu besar ({len(data) // 1024} KB); paling besar {max_bytes // 1024} KB.")
    if data.startswith(_JPEG_SOI):
        return "image/jpeg", _strip_jpeg(data)
    if data.startswith(_PNG_SIG):
        return "image/png", _strip_png(data)
    raise PhotoRefused()


def _strip_jpeg(data: bytes) -> bytes:
    out = bytearray(_JPEG_SOI)
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            raise PhotoRefused()
        marker = data[i + 1] if i + 1 < len(data) else 0
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of image
            out += data[i:i + 2]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[i:i + 2]
            i += 2
            continue
        if i + 4 > len(data):
            raise PhotoRefused()
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        end = i + 2 + length
        if length < 2 or end > len(data):
            raise PhotoRefused()
        segment = data[i:end]
        if marker == 0xDA:  # start of scan: the entropy-coded image follows up to EOI; keep the rest as is
            out += data[i:]
            return bytes(out)
        if not ((0xE0 <= marker <= 0xEF and marker not in _KEEP_APP) or marker == 0xFE):
            out += segment
        i = end
    raise PhotoRefused()


def _strip_png(data: bytes) -> bytes:
    out = bytearray(_PNG_SIG)
    i = len(_PNG_SIG)
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > len(data):
            raise PhotoRefused()
        crc = struct.unpack(">I", data[i + 8 + length:end])[0]
        if zlib.crc32(data[i + 4:i + 8 + length]) != crc:
            raise PhotoRefused()
        if kind in _PNG_KEEP:
            out += data[i:end]
        if kind == b"IEND":
            return bytes(out)
        i = end
    raise PhotoRefused()
