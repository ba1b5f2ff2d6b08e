"""Error replies: every expected failure is a 4xx with an Indonesian message naming the field."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

log = logging.getLogger("bansos.server")


def _loc(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "isi permintaan"


def validation_message(errors: Sequence[Any]) -> str:
    items = [f"{_loc(e.get('loc', ()))}: {e.get('msg', '')}" for e in list(errors)[:5]]
    more = f" (dan {len(errors) - 5} lagi)" if len(errors) > 5 else ""
    return "Data tidak sah — " + "; ".join(items) + more


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errs = exc.errors()
        return JSONResponse(status_code=422, content={
            "detail": validation_message(errs),
            "errors": [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errs[:50]],
        })

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the schemas let through (a NUL character in a text, a number out of
        # range): bad input, so a 422 — never a 500. The value itself is not logged (it may be a NIK).
        log.info("data refused by the database on %s %s: %s", request.method, request.url.path,
                 type(exc.orig).__name__)
        return JSONResponse(status_code=422, content={
            "detail": "Data tidak sah — ada isian yang tidak bisa disimpan (misalnya karakter NUL atau angka "
                      "di luar batas)."})
