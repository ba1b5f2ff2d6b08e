"""HTML form bodies without extra packages: application/x-www-form-urlencoded by urllib, and
multipart/form-data (the usul form with photos) by the standard email parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

from fastapi import Request

from domain.errors import KnownError

MAX_FORM_BYTES = 8 * 1024 * 1024  # three photos of 2 MB plus the fields


class FormTooLarge(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Isian terlalu besar; kirim foto yang lebih kecil (paling besar 2 MB per foto)."


@dataclass
class FormData:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (field name, content), non-empty only

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


async def read_form(request: Request) -> FormData:
    size = int(request.headers.get("content-length") or 0)
    if size > MAX_FORM_BYTES:
        raise FormTooLarge()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge()
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        return _multipart(ctype, body)
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return FormData(fields={k: v[0] for k, v in parsed.items()})


def _multipart(ctype: str, body: bytes) -> FormData:
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
    out = FormData()
    if not msg.is_multipart():
        return out
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None:
            if data:
                out.files.append((name, data))
        else:
            out.fields[name] = data.decode(part.get_content_charset() or "utf-8", errors="replace")
    return out
