"""Unknown query parameters are refused (422 naming them), not silently ignored: a misspelt filter
(`?stat=PENDING`) would otherwise return the unfiltered list as if it were the answer."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

_KNOWN: dict[int, frozenset[str]] = {}


def _known(route: APIRoute) -> frozenset[str]:
    names = _KNOWN.get(id(route))
    if names is None:
        names = frozenset(_query_names(route.dependant))
        _KNOWN[id(route)] = names
    return names


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def no_unknown_query(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    unknown = sorted(set(request.query_params.keys()) - _known(route))
    if unknown:
        shown = ", ".join(repr(u[:40]) for u in unknown[:5])
        raise HTTPException(422, f"Parameter tidak dikenal: {shown}.")
