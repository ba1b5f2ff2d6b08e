"""Error replies: every expected failure is a 4xx with an Indonesian message naming the field."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

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
