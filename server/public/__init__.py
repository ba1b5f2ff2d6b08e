"""The citizen's side (issue 16): status check, usul, sanggah and lacak, as HTML pages under /publik/
and a JSON API under /api/v1/public, on the central server."""

from __future__ import annotations

from fastapi import FastAPI

from server.public import models as _models  # noqa: F401  (registers the tables)


def install(app: FastAPI) -> None:
    from server.public import api, pages
    from server.public.settings import PublicSettings

    app.state.public_settings = PublicSettings()
    app.include_router(api.router)
    app.include_router(pages.router)
