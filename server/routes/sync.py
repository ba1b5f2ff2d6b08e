"""Sync endpoints (design.md §4): batch upload and change pull, scoped to the device's desa.

Protocol 2 only (ADR 0005): a request without `X-Bansos-Protocol: 2` comes from an old village app
and gets 403 with OLD_CLIENT_MESSAGE — a 403 stops the old client's run without touching its outbox,
whereas other 4xx would make it split the batch and drop the ops as INVALID."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import Field, ValidationError

from server.deps import CatalogueDep, OperatorUser, SessionDep, SettingsDep, require_protocol
from server.errors import validation_message
from server.models import Device
from server.services.body import decode_body, read_limited
from server.services.changes import CURSOR_MAX, changes_page_json
from server.services.ingest import BatchRejected, ingest_batch
from sync.protocol import BatchResponse, RecordBatchRequest, RecordChangesPage, RecordOp

log = logging.getLogger("bansos.server.sync")
router = APIRouter(prefix="/sync", tags=["sync"], dependencies=[Depends(require_protocol)])


class IngestRequest(RecordBatchRequest):
    """RecordBatchRequest without the client-side op cap: the server enforces settings.max_ops_per_batch."""

    ops: list[RecordOp] = Field(max_length=100_000)


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordBatchRequest"}}},
        "description": "RecordBatchRequest as JSON; send it gzip-compressed with Content-Encoding: gzip.",
    }
}
_ERRORS = {
    400: {"description": "gzip rusak"}, 401: {"description": "Belum login"},
    403: {"description": "Perangkat/desa bukan milik akun, atau aplikasi versi lama (protokol 1)"}, 413: {"description": "Terlalu besar"},
    415: {"description": "Content-Encoding tidak didukung"}, 422: {"description": "Isi tidak sah"},
}


@router.post("/batches", response_model=BatchResponse, openapi_extra=_BODY_DOC, responses=_ERRORS)  # type: ignore[arg-type]
async def post_batch(
    request: Request,
    user: OperatorUser,
    session: SessionDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=100)],
    # gzip or identity; left out of the document, which describes the JSON body itself.
    content_encoding: Annotated[str | None, Header(alias="Content-Encoding", include_in_schema=False)] = None,
) -> Response:
    raw = await read_limited(request, settings.max_compressed_bytes)
    data = decode_body(raw, content_encoding, settings.max_body_bytes)
    try:
        req = IngestRequest.model_validate(data)
    except ValidationError as e:
        raise HTTPException(422, validation_message(e.errors())) from None
    try:
        body = await run_in_threadpool(ingest_batch, session, settings=settings, catalogue=catalogue, user=user,
                                       batch_id=idempotency_key, req=req)
    except BatchRejected as e:
        log.info("batch %s refused: %s", idempotency_key, e.status_code)
        raise HTTPException(e.status_code, e.message) from None
    return Response(content=body, media_type="application/json")


@router.get("/changes", response_model=RecordChangesPage, responses={
    401: {"description": "Belum login"}, 403: {"description": "Perangkat bukan milik akun, atau aplikasi versi lama"}})
def get_changes(
    user: OperatorUser,
    session: SessionDep,
    since: Annotated[int, Query(ge=0, le=CURSOR_MAX, description="next_cursor of the previous page; 0 at first")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    device_id: Annotated[str | None, Query(min_length=1, max_length=64, json_schema_extra={"x-required": True},
                                           description="the device registered by POST /devices")] = None,
    # Older clients send the device in a header; not in the document, where device_id is required.
    x_device_id: Annotated[str | None, Header(alias="X-Device-Id", max_length=64, include_in_schema=False)] = None,
) -> Response:
    dev_id = device_id or x_device_id
    if not dev_id:
        raise HTTPException(422, "device_id wajib (parameter device_id atau header X-Device-Id).")
    device = session.get(Device, dev_id)
    if device is None or device.user_id != user.id:
        raise HTTPException(403, "Perangkat ini tidak terdaftar untuk akun ini.")
    # Encoded by the service (documented as RecordChangesPage above): no per-row pydantic round trip.
    return Response(content=changes_page_json(session, desa=device.desa_code, since=since, limit=limit),
                    media_type="application/json")
