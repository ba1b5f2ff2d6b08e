"""The OpenAPI document, made to say what the server sends (schemathesis checks it against the API).

FastAPI's generated document needs these corrections: error bodies are `{"detail": "<pesan>"}`
(validation errors add `errors`, see server.errors), not FastAPI's list-valued `detail`; every
4xx gets that body; an operation with a body documents 400 (unreadable JSON) and 422, one behind a
token documents 401 and 403 (every dependency chain may answer them); the batch upload, whose body
the route reads itself (gzip), gets its RecordBatchRequest schema as a component.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "Pesan untuk pengguna (Bahasa Indonesia)"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["loc", "msg"],
            "properties": {"loc": {"type": "array", "items": {"type": "string"}}, "msg": {"type": "string"}},
        }},
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}


def install(app: FastAPI, extra_models: dict[str, type[BaseModel]]) -> None:
    """Replace app.openapi with the corrected document; `extra_models` become named components."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas["Error"] = ERROR_SCHEMA
        for name, model in extra_models.items():
            js = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for sub, sub_schema in js.pop("$defs", {}).items():
                schemas.setdefault(sub, sub_schema)
            schemas[name] = js
        for path_item in doc.get("paths", {}).values():
            for op in path_item.values():
                for param in op.get("parameters", []):
                    # x-required: required by the handler although the parameter is optional in Python
                    # (GET /sync/changes takes device_id or, from old clients, the X-Device-Id header).
                    schema = param.get("schema", {})
                    if param.get("name") == PROTOCOL_HEADER:  # sync requests: required, and only "2" is served
                        param["required"] = True
                        param["schema"] = {"type": "string", "enum": [str(PROTOCOL_VERSION)]}
                        continue
                    if schema.pop("x-required", False):
                        param["required"] = True
                        branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
                        param["schema"] = {**schema, **(branches[0] if branches else {})}
                responses = op.setdefault("responses", {})
                if "requestBody" in op:
                    responses.setdefault("400", {"description": "Isi permintaan bukan JSON yang dapat dibaca"})
                    responses.setdefault("422", {"description": "Isi tidak sah"})
                if op.get("security"):
                    responses.setdefault("401", {"description": "Belum login: token tidak ada, salah, atau kedaluwarsa"})
                    responses.setdefault("403", {"description": "Peran atau wilayah akun tidak boleh memakai ini"})
                for code, resp in responses.items():
                    if str(code).startswith(("4", "5")):
                        resp["content"] = {"application/json": {"schema": _ERROR_REF}}
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
