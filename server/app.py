"""The FastAPI application factory. No engine exists until create_app() is called."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from sqlalchemy import Engine

from domain import regions
from domain.programmes import Catalogue
from domain.version import __version__
from server import db, errors, logs, openapi
from server.public import install as public_install
from server.routes import auth, devices, health, sync, village_reports
from server.settings import Settings
from server.strict_query import no_unknown_query
from server.throttle import LoginThrottle

API_PREFIX = "/api/v1"
GZIP_MIN_BYTES = 1024


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.check_safe()
    app = FastAPI(title="Bansos Desa — server pusat", version=__version__,
                  description="Sinkronisasi entri desa, verifikasi kecamatan, dan daftar penerima.")
    app.state.settings = settings
    app.state.engine = engine or db.make_engine(settings.resolved_database_url())
    app.state.read_engine = db.make_engine(settings.read_database_url) if settings.read_database_url else None
    app.state.catalogue = Catalogue.from_file(settings.programmes_file)
    app.state.throttle = LoginThrottle(settings.login_max_failures, settings.login_lockout_seconds)
    regions.province_codes()  # warm the region cache now, not in the first request
    errors.install(app)
    # Pull pages and batch replies are JSON that compresses ~5-10x; small answers stay plain.
    # Only for clients that send Accept-Encoding: gzip (requests and httpx do, and decode it).
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(no_unknown_query)])
    for module in (health, auth, devices, sync, village_reports):
        api.include_router(module.router)
    _optional_routers(api)
    app.include_router(api)
    public_install.install(app)  # citizens' pages + /api/v1/public (issue 16)
    from server.routes.sync import IngestRequest

    openapi.install(app, {"RecordBatchRequest": IngestRequest})
    logging.getLogger("bansos.server").info("server app created (env=%s)", settings.environment)
    return app


def app_from_env() -> FastAPI:
    """The app of one `bansos-server serve` worker process: settings from the environment."""
    settings = Settings()
    logs.configure(settings.log_level, replace=False)
    return create_app(settings)


def _optional_routers(api: APIRouter) -> None:
    from server.routes import admin, audit, review, stats

    for module in (review, stats, audit, admin):
        api.include_router(module.router)
