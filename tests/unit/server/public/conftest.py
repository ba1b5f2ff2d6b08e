"""Public-side fixtures: the app over a real SQLite file, with limits a test can reach quickly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from server.public.settings import PublicSettings
from tests.support.serverapp import Api, make_api


def public_settings(**kw: object) -> PublicSettings:
    kw.setdefault("status_floor_ms", 0)
    return PublicSettings(**kw)  # type: ignore[arg-type]


@pytest.fixture
def pub(engine: Engine) -> Iterator[Api]:
    for api in make_api(engine):
        api.client.app.state.public_settings = public_settings()  # type: ignore[attr-defined]
        yield api
