"""HTTP calls of the review API (kecamatan reviewers and supervisors), on sync.client's plumbing.

Same timeouts and typed errors as the sync client (Offline / AuthError / Rejected / ServerError);
answers are parsed with the server's schemas in sync.review_protocol. Lists are paged by the
server; these calls follow the pages so callers get whole lists. No Qt here: the desktop app
runs these calls through its background helper.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from sync.client import CONNECT_TIMEOUT, ServerError, SyncClient
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.review_protocol import (
    AuditRow,
    BatchPage,
    BatchSummary,
    DecidedProposal,
    DecisionRequest,
    DecisionResult,
    DuplicateGroupInfo,
    GroupState,
    ProposalDetail,
    ProposalPage,
    ReviewProposal,
    SettleConflictRequest,
    SettleDuplicateRequest,
    SkipCode,
    StatsResponse,
)

log = logging.getLogger(__name__)

REVIEW_READ_TIMEOUT = 60.0
API = "/api/v1"
PROPOSAL_PAGE = 5000  # the server's maximum page size: a 1,000-proposal batch is one request
BATCH_PAGE = 500
M = TypeVar("M", bound=BaseModel)
_GROUPS = TypeAdapter(list[DuplicateGroupInfo])
_AUDIT = TypeAdapter(list[AuditRow])


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    applied: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # record_id -> server's reason
    stale: frozenset[str] = frozenset()  # of `failed`: changed since the reviewer opened them
    change_seqs: dict[str, int] = field(default_factory=dict)  # applied record_id -> its change_seq now
    decided: list[DecidedProposal] = field(default_factory=list)  # their review columns as the server has them now


class ReviewClient(SyncClient):
    """One server, one reviewer token. Thread-confined like SyncClient."""

    def __init__(self, base_url: str, token: str | None = None, *, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = REVIEW_READ_TIMEOUT, verify: str | bool = True) -> None:
        # `verify`: the provisioned CA file (a district's own HTTPS certificate), else True: system CAs.
        super().__init__(base_url, token, connect_timeout=connect_timeout, read_timeout=read_timeout,
                         verify=verify)
        # Protocol 2 on every request: the server refuses a review client without it (the old desktop).
        self.session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)

    def __enter__(self) -> ReviewClient:
        return self

    # ---- reads

    def batches(self, *, desa: str | None = None) -> list[BatchSummary]:
        out: list[BatchSummary] = []
        while True:
            page = self._get(f"{API}/review/batches", BatchPage,
                             {"offset": len(out), "limit": BATCH_PAGE, **({"desa": desa} if desa else {})})
            out.extend(page.items)
            if not page.items or len(out) >= page.total:
                return out

    def batch_proposals(self, batch_id: str) -> list[ReviewProposal]:
        return self._proposal_pages(lambda off: self._get(f"{API}/review/batches/{batch_id}/proposals", ProposalPage,
                                                          {"offset": off, "limit": PROPOSAL_PAGE}))

    def proposals(self, *, state: str | None = None, desa: str | None = None, flag: str | None = None,
                  programme: str | None = None) -> list[ReviewProposal]:
        params = {k: v for k, v in (("state", state), ("desa", desa), ("flag", flag), ("programme", programme)) if v}
        return self._proposal_pages(lambda off: self._get(f"{API}/review/proposals", ProposalPage,
                                                          {**params, "offset": off, "limit": PROPOSAL_PAGE}))

    def proposal(self, record_id: str) -> ProposalDetail:
        return self._get(f"{API}/review/proposals/{record_id}", ProposalDetail)

    def conflicts(self) -> list[ReviewProposal]:
        return self._proposal_pages(lambda off: self._get(f"{API}/review/conflicts", ProposalPage,
                                                          {"offset": off, "limit": PROPOSAL_PAGE}))

    def duplicate_groups(self, *, include_settled: bool = False) -> list[DuplicateGroupInfo]:
        out = self._get_list(f"{API}/review/duplicates", _GROUPS, {"state": GroupState.OPEN})
        if include_settled:
            for state in (GroupState.SETTLED, GroupState.DISTINCT):
                out += self._get_list(f"{API}/review/duplicates", _GROUPS, {"state": state})
        return out

    def stats(self, *, area: str | None = None) -> StatsResponse:
        return self._get(f"{API}/stats", StatsResponse, {"area": area} if area else None)

    def audit(self, *, record_id: str | None = None, limit: int = 500) -> list[AuditRow]:
        params: dict[str, Any] = {"limit": limit}
        if record_id:
            params["record_id"] = record_id
        return self._get_list(f"{API}/audit", _AUDIT, params)

    # ---- writes

    def decide(self, record_ids: Sequence[str], decision: str, *, reason_code: str | None = None,
               note: str = "", review_fields: Sequence[str] = (), versions: Mapping[str, int] | None = None,
               change_seqs: Mapping[str, int] | None = None) -> DecisionOutcome:
        """One request for the whole selection of proposals; the server skips (and says why) what it cannot
        decide. `review_fields`: a return's fields to fix. `versions` / `change_seqs`: what the reviewer had
        on screen per proposal; one changed since is skipped (stale) instead of decided blind."""
        try:
            req = DecisionRequest(record_ids=list(record_ids), decision=decision, reason_code=reason_code, note=note,
                                  review_fields=list(review_fields), versions=dict(versions) if versions else None,
                                  change_seqs=dict(change_seqs) if change_seqs else None)
        except ValidationError as e:
            raise ValueError("; ".join(str(err.get("msg", "")) for err in e.errors())) from e
        res = self._post(f"{API}/review/decisions", req, DecisionResult)
        skipped = {s.record_id: s.reason for s in res.skipped}
        stale = frozenset(s.record_id for s in res.skipped if s.code == SkipCode.STALE)
        return DecisionOutcome([r for r in record_ids if r not in skipped], skipped, stale, dict(res.change_seqs),
                               list(res.proposals))

    def settle_group(self, group_id: int, keep_record_id: str | None, *, note: str = "") -> DuplicateGroupInfo:
        """Keep `keep_record_id`, or (None) mark the group's records "not the same"."""
        req = (SettleDuplicateRequest(keep_record_ids=[keep_record_id], note=note) if keep_record_id
               else SettleDuplicateRequest(not_same=True, note=note))
        return self._post(f"{API}/review/duplicates/{group_id}/settle", req, DuplicateGroupInfo)

    def settle_conflict(self, record_id: str, choices: dict[str, str], *, record_type: str = "proposal",
                        proposal_id: str | None = None) -> ReviewProposal:
        """Per contested field of a proposal, or of its household or member (`record_type`, with the
        proposal reviewed as `proposal_id`): "server" keeps the server's value, "village" the village's.
        Answers the proposal as it is now."""
        req = SettleConflictRequest(choices=choices)
        params = {"record_type": record_type, **({"proposal": proposal_id} if proposal_id else {})}
        return self._post(f"{API}/review/conflicts/{record_id}/settle", req, ReviewProposal, params)

    # ---- plumbing

    def _proposal_pages(self, fetch: Callable[[int], ProposalPage]) -> list[ReviewProposal]:
        out: list[ReviewProposal] = []
        while True:
            page = fetch(len(out))
            out.extend(page.items)
            if not page.items or len(out) >= page.total:
                return out

    def _get(self, path: str, model: type[M], params: dict[str, Any] | None = None) -> M:
        resp = self._request("GET", path, params=params)
        return self._parse(resp, model)

    def _get_list(self, path: str, adapter: TypeAdapter[Any], params: dict[str, Any] | None = None) -> Any:
        resp = self._request("GET", path, params=params)
        try:
            return adapter.validate_json(resp.content)
        except ValidationError as e:
            raise ServerError("jawabannya tidak bisa dibaca.", resp.status_code) from e

    def _post(self, path: str, body: BaseModel, model: type[M], params: dict[str, Any] | None = None) -> M:
        resp = self._request("POST", path, data=body.model_dump_json().encode(), params=params,
                             headers={"Content-Type": "application/json"})
        return self._parse(resp, model)
