"""Adds the citizen's pages and JSON API to the server app."""

from __future__ import annotations

from fastapi import FastAPI

from server.public import api, pages
from server.public.settings import PublicSettings


def install(app: FastAPI) -> None:
    app.state.public_settings = PublicSettings()
    app.include_router(api.router)
    app.include_router(pages.router)
