"""Photos lose their metadata (EXIF GPS, text chunks) before storage; anything else is refused."""

from __future__ import annotations

import struct
import zlib

import pytest

from server.public.photos import PhotoRefused, strip


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(*extra: bytes) -> bytes:
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"".join(extra) + idat + _chunk(b"IEND", b"")


def test_png_text_and_exif_chunks_are_dropped() -> None:
    exif = _chunk(b"eXIf", b"MM\x00*GPSLatitude")
    text = _chunk(b"tEXt", b"Comment\x00rumah Bu Siti")
    ctype, clean = strip(_png(exif, text), max_bytes=10_000)
    assert ctype == "image/png" and clean == _png()
    assert b"GPS" not in clean and b"Siti" not in clean


def test_jpeg_app1_and_comments_are_dropped_jfif_kept() -> None:
    app0 = b"\xff\xe0\x00\x07JFIF\x00"
    app1 = b"\xff\xe1\x00\x0cExif\x00\x00GPS!"
    com = b"\xff\xfe\x00\x06Siti"
    body = b"\xff\xdb\x00\x04\x00\x01" + b"\xff\xda\x00\x02\x12\x34\xff\xd9"
    ctype, clean = strip(b"\xff\xd8" + app0 + app1 + com + body, max_bytes=10_000)
    assert ctype == "image/jpeg" and clean == b"\xff\xd8" + app0 + body


@pytest.mark.parametrize("data", [b"GIF89a....", b"\xff\xd8\xff\xe1\x00\xff", _png()[:-5],
                                  _png().replace(b"IDAT", b"IDAU", 1)])
def test_not_an_image_or_a_broken_one_is_refused(data: bytes) -> None:
    with pytest.raises(PhotoRefused, match="JPG atau PNG"):
        strip(data, max_bytes=10_000)


def test_a_photo_over_the_size_limit_is_refused_with_its_size() -> None:
    with pytest.raises(PhotoRefused, match="terlalu besar"):
        strip(_png(), max_bytes=10)
