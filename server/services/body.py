"""Reading a sync request body safely: size limits before and after gunzip, then JSON."""

from __future__ import annotations

import json
import zlib
from typing import Any

from fastapi import HTTPException, Request


async def read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"Isi permintaan terlalu besar ({int(declared)} byte; paling banyak {limit} byte). "
                                 "Kirim dalam batch yang lebih kecil.")
    buf = bytearray()
    async for chunk in request.stream():
        buf += chunk
        if len(buf) > limit:
            raise HTTPException(413, f"Isi permintaan terlalu besar (lebih dari {limit} byte). "
                                     "Kirim dalam batch yang lebih kecil.")
    return bytes(buf)


def gunzip_limited(raw: bytes, limit: int) -> bytes:
    """Decompress at most `limit` bytes: a gzip bomb stops here, not in memory."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(raw, limit + 1)
    except zlib.error as e:
        raise HTTPException(400, f"Isi permintaan bukan gzip yang sah ({e}).") from None
    if len(out) > limit or d.unconsumed_tail:
        raise HTTPException(413, f"Isi permintaan setelah dibuka (gzip) melebihi {limit} byte; ditolak.")
    if not d.eof:
        raise HTTPException(400, "Isi permintaan gzip terpotong (tidak lengkap).")
    return out


def decode_body(raw: bytes, content_encoding: str | None, limit: int) -> Any:
    enc = (content_encoding or "identity").strip().lower()
    if enc == "gzip":
        raw = gunzip_limited(raw, limit)
    elif enc != "identity":
        raise HTTPException(415, f"Content-Encoding '{content_encoding}' tidak didukung; pakai gzip atau tanpa kompresi.")
    elif len(raw) > limit:
        raise HTTPException(413, f"Isi permintaan melebihi {limit} byte; ditolak.")
    if not raw:
        raise HTTPException(422, "Isi permintaan kosong; kirim JSON batch.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as e:
        raise HTTPException(422, f"Isi permintaan bukan JSON yang sah: {e}.") from None
    # PostgreSQL text cannot hold NUL: refused here as bad input, not a database error (a 500) later.
    if b"\\u0000" in raw or b"\x00" in raw:
        raise HTTPException(422, "Isi permintaan berisi karakter NUL (\\u0000); tidak ada isian yang boleh memuatnya.")
    return data
