"""Sync use cases: log in (register the device), run a sync, read the sync status, resolve a conflict.

No Qt here: the CLI (`bansos login/logout/sync/status`) and the GUI's background tasks both call
these. Meta keys owned by sync (besides sync.engine's cursor/last-* keys):
- "sync.server_url", "sync.username": where and as whom to sync (not secrets);
- "sync.device_server": the server the current device_id was registered with;
- "sync.interval_seconds": the GUI's periodic sync interval.
The token itself goes through desktop_app.credentials (OS keyring, else memory only).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from sqlalchemy import Engine, select

from desktop_app import credentials
from desktop_app.server_ca import ca_bundle_path
from domain import regions
from domain.states import ReviewState, SyncState
from local_db import outbox as local_outbox
from local_db import repository as repo
from local_db.household_repo import TABLE
from local_db.models import Batch
from sync import conflicts
from sync.client import Offline, SyncClient, SyncError
from sync.engine import (
    META_CURSOR,
    META_LAST_ERROR,
    META_LAST_ERROR_AT,
    META_LAST_SUCCESS,
    META_SKEW,
    SyncEngine,
)

# Re-exported: the widgets read these plain data types from here, never from sync (design.md §2).
from sync.report import SyncProgress as SyncProgress
from sync.report import SyncReport as SyncReport
from sync.report import error_kind

log = logging.getLogger(__name__)

META_SERVER_URL = "sync.server_url"
META_USERNAME = "sync.username"
META_DEVICE_SERVER = "sync.device_server"
META_INTERVAL = "sync.interval_seconds"
META_DEVICE_ID = "device_id"  # desktop_app.context.MetaKey.DEVICE_ID
META_DESA = "desa_code"  # desktop_app.context.MetaKey.DESA_CODE
DEFAULT_INTERVAL = 300
PASSWORD_ENV = "BANSOS_PASSWORD"


PUSH_LABEL = "Mengirim"
PULL_LABEL = "Mengambil hasil verifikasi"


class SyncTaskProgress(Protocol):
    """What sync_once needs of desktop_app.tasks.Progress (imported lazily there: it loads Qt)."""

    def update(self, *, label: str | None = None, value: int | None = None, maximum: int | None = None) -> None: ...

    @property
    def cancelled(self) -> bool: ...


def _sleep_unless_cancelled(progress: SyncTaskProgress, seconds: float) -> None:
    """The engine's backoff wait, cut short by a cancel."""
    end = time.monotonic() + seconds
    while not progress.cancelled and time.monotonic() < end:
        time.sleep(min(0.1, max(0.0, end - time.monotonic())))


def _abort_when_cancelled(progress: SyncTaskProgress, client: SyncClient, finished: threading.Event) -> None:
    while not finished.wait(0.1):
        if progress.cancelled:
            client.abort()
            return


def _report_progress(progress: SyncTaskProgress, p: SyncProgress) -> None:
    """The engine's progress as the task's label/value/maximum: n of m ops sent, then pages pulled."""
    if p.phase == "push":
        progress.update(label=PUSH_LABEL, value=min(p.sent, p.total), maximum=p.total)
    else:
        progress.update(label=PULL_LABEL, value=p.pages, maximum=0)


class NotConfigured(SyncError):
    """No server set up on this device yet."""

    @classmethod
    def default_message(cls) -> str:
        return "Server belum diatur. Jalankan 'bansos login --server URL --username NAMA'."


@dataclass(slots=True)
class LoginOutcome:
    device_id: str
    desa_code: str
    token_store: str  # "keyring" or "memory"
    role: str


@dataclass(slots=True)
class SyncStatus:
    server_url: str | None
    username: str | None
    logged_in: bool
    counts: dict[str, int] = field(default_factory=dict)
    outbox: int = 0
    pending_batch: dict[str, Any] | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    skew_seconds: float | None = None
    returned: int = 0  # proposals returned for revision by the reviewer
    rejected: int = 0
    cursor: int = 0
    # Records (not ops) waiting to go out / needing the operator, per record type ("household", ...).
    waiting_by_type: dict[str, int] = field(default_factory=dict)
    attention_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def needs_attention(self) -> int:
        """Records the operator must act on: refused, in conflict, or proposals returned for revision."""
        return self.counts.get(SyncState.INVALID, 0) + self.counts.get(SyncState.CONFLICT, 0) + self.returned

    @property
    def waiting(self) -> int:
        return self.outbox

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["needs_attention"] = self.needs_attention
        return d


def _count_review(s: Any, state: ReviewState) -> int:
    return int(s.connection().exec_driver_sql(
        "SELECT count(*) FROM proposals WHERE review_state = ? AND deleted = 0", (state.value,)).scalar_one())


def _waiting_by_type(s: Any) -> dict[str, int]:
    """Distinct records with an op in the outbox, per record type (the status bar counts the same)."""
    return local_outbox.waiting_by_type(s.connection())


def _attention_by_type(s: Any) -> dict[str, int]:
    """Records refused or in conflict per type, plus proposals returned for revision."""
    out: dict[str, int] = {}
    for rt, table in TABLE.items():
        extra = f" OR (review_state = '{ReviewState.RETURNED.value}' AND deleted = 0)" if table == "proposals" else ""
        n = int(s.connection().exec_driver_sql(
            f"SELECT count(*) FROM {table} WHERE sync_state IN (?, ?){extra}",
            (SyncState.INVALID.value, SyncState.CONFLICT.value)).scalar_one())
        if n:
            out[rt.value] = n
    return out


def describe_counts(by_type: Mapping[str, int]) -> str:
    """'2 keluarga, 2 anggota, 2 usulan' (types with none left out; '0 data' when all are zero)."""
    words = {"household": "keluarga", "member": "anggota", "proposal": "usulan"}
    parts = [f"{by_type[t]} {w}" for t, w in words.items() if by_type.get(t)]
    return ", ".join(parts) if parts else "0 data"


def _state_counts(s: Any) -> dict[str, int]:
    """Records per sync state, over households, members and proposals together."""
    counts = {st.value: 0 for st in SyncState}
    for table in TABLE.values():
        for state, n in s.connection().exec_driver_sql(
                f"SELECT sync_state, count(*) FROM {table} GROUP BY sync_state").all():
            counts[str(state)] = counts.get(str(state), 0) + int(n)
    return counts


class SyncService:
    def __init__(self, engine: Engine, *, device_id: str, actor: str = "",
                 password_prompt: Callable[[str], str | None] | None = None,
                 ca_bundle: str | None = None) -> None:
        self.engine = engine
        # requests' `verify=`: the provisioned CA file, or True for the system CAs.
        self.verify: str | bool = ca_bundle or True
        self.device_id = device_id
        self.actor = actor
        # Asked when no token is stored (keyring-less session); None: only BANSOS_PASSWORD.
        self.password_prompt = password_prompt

    @classmethod
    def from_context(cls, ctx: Any, **kw: Any) -> SyncService:
        ca = ca_bundle_path(ctx.data_dir)
        kw.setdefault("ca_bundle", str(ca) if ca else None)
        return cls(ctx.engine, device_id=ctx.device_id, actor=ctx.operator_name, **kw)

    # ----------------------------------------------------------------- settings

    def _meta(self, key: str) -> str | None:
        with repo.session_scope(self.engine) as s:
            return repo.get_meta(s, key) or None

    def _set_meta(self, values: Mapping[str, str]) -> None:
        with repo.session_scope(self.engine, write=True) as s:
            for k, v in values.items():
                repo.set_meta(s, k, v)

    @property
    def server_url(self) -> str | None:
        return self._meta(META_SERVER_URL)

    @property
    def username(self) -> str | None:
        return self._meta(META_USERNAME)

    def interval_seconds(self) -> int:
        try:
            return max(30, int(self._meta(META_INTERVAL) or DEFAULT_INTERVAL))
        except ValueError:
            return DEFAULT_INTERVAL

    def set_interval_seconds(self, seconds: int) -> None:
        self._set_meta({META_INTERVAL: str(max(30, int(seconds)))})

    # ----------------------------------------------------------------- account

    def login(self, server_url: str, username: str, password: str, *, desa_code: str | None = None,
              label: str = "") -> LoginOutcome:
        """Log in, register this device to its desa (once per server) and keep the token."""
        server_url = server_url.strip().rstrip("/")
        with SyncClient(server_url, verify=self.verify) as client:
            lr = client.login(username, password)
            desa = regions.digits_of(desa_code or self._meta(META_DESA) or "")
            if not desa and lr.role == "operator":
                desa = regions.digits_of(lr.area_code)
            if not desa:
                raise NotConfigured("Kode desa perangkat ini belum diatur; isi dengan --desa.")
            device_id = self.device_id
            if self._meta(META_DEVICE_SERVER) != server_url or self._meta(META_DESA) != desa:
                reg = client.register_device(desa, label or socket.gethostname()[:100])
                device_id = reg.device_id
                desa = reg.desa_code
            store = credentials.save_token(server_url, username, lr.access_token)
        self._set_meta({META_SERVER_URL: server_url, META_USERNAME: username, META_DEVICE_SERVER: server_url,
                        META_DEVICE_ID: device_id, META_DESA: desa})
        self.device_id = device_id
        log.info("logged in; device %s registered to desa %s; token in %s", device_id, desa, store)
        return LoginOutcome(device_id=device_id, desa_code=desa, token_store=store, role=lr.role)

    def logout(self) -> bool:
        url, user = self.server_url, self.username
        if not url or not user:
            return False
        return credentials.delete_token(url, user)

    def token(self) -> str | None:
        url, user = self.server_url, self.username
        if not url or not user:
            return None
        tok = credentials.load_token(url, user)
        if tok:
            return tok
        # No stored token (keyring-less session or expired): ask, once per session.
        password = os.environ.get(PASSWORD_ENV) or (self.password_prompt(user) if self.password_prompt else None)
        if not password:
            return None
        self.login(url, user, password)
        return credentials.load_token(url, user)

    def client(self, **kw: Any) -> SyncClient:
        url = self.server_url
        if not url:
            raise NotConfigured("Server belum diatur. Jalankan 'bansos login --server URL --username NAMA'.")
        kw.setdefault("verify", self.verify)
        return SyncClient(url, self.token(), **kw)

    # ----------------------------------------------------------------- sync

    def reachable(self, timeout: float = 3.0) -> bool:
        """The cheap check before a periodic sync: GET /health with a short timeout."""
        url = self.server_url
        if not url:
            return False
        try:
            with SyncClient(url, verify=self.verify) as c:
                c.health(timeout)
            return True
        except SyncError:
            return False

    def sync_once(self, *, progress: SyncTaskProgress | None = None, **engine_kw: Any) -> SyncReport:
        """One run (push everything, then pull). Expected failures are in report.error.

        `progress`: the TaskRunner's Progress of the task running this (desktop_app.tasks): the run
        reports to it and stops between steps once it is cancelled.
        """
        if progress is not None:
            engine_kw.setdefault("on_progress", functools.partial(_report_progress, progress))
            engine_kw.setdefault("cancelled", lambda: progress.cancelled)
            engine_kw.setdefault("sleep", functools.partial(_sleep_unless_cancelled, progress))
        try:
            client = self.client()
        except SyncError as e:
            report = SyncReport(error=str(e), error_kind="config" if isinstance(e, NotConfigured) else error_kind(e))
            self._record_error(report.error or "")
            return report
        finished = threading.Event()
        if progress is not None:
            # Cancelling must not wait for a hung server's read timeout: a watcher shuts the request's
            # socket as soon as the task is cancelled. The batch stays saved (done_at NULL): the next
            # run resends the same batch id and the server answers it once.
            threading.Thread(target=_abort_when_cancelled, args=(progress, client, finished), daemon=True,
                             name="sync-cancel-watch").start()
        try:
            return self._run(client, engine_kw)
        finally:
            finished.set()

    def _run(self, client: SyncClient, engine_kw: dict[str, Any]) -> SyncReport:
        with client:
            if client.token is None:
                # "Log in" is only worth saying when the server answers: an unreachable server is offline.
                offline = None if self.reachable() else Offline()
                report = SyncReport(error=str(offline) if offline else
                                    "Belum login ke server. Login dulu lewat menu Sinkronisasi atau 'bansos login'.",
                                    error_kind="offline" if offline else "auth")
                self._record_error(report.error or "")
                return report
            report = SyncEngine(self.engine, client, self.device_id, actor=self.actor, **engine_kw).run()
        if report.error_kind in ("auth", "device"):
            # A revoked/expired token: forget it so the next run asks again.
            url, user = self.server_url, self.username
            if url and user:
                credentials.delete_token(url, user)
        if report.error_kind == "device":
            self._set_meta({META_DEVICE_SERVER: ""})  # the next login registers the device again
        return report

    def _record_error(self, text: str) -> None:
        from sync.engine import utcnow

        self._set_meta({META_LAST_ERROR: text, META_LAST_ERROR_AT: utcnow().isoformat(timespec="seconds")})

    # ----------------------------------------------------------------- status

    def status(self) -> SyncStatus:
        url, user = self.server_url, self.username
        with repo.session_scope(self.engine) as s:
            counts = _state_counts(s)
            outbox = local_outbox.outbox_count(s)
            returned = _count_review(s, ReviewState.RETURNED)
            rejected = _count_review(s, ReviewState.REJECTED)
            b = s.execute(select(Batch).where(Batch.done_at.is_(None)).order_by(Batch.created_at)).scalars().first()  # type: ignore[union-attr,arg-type]
            pending = None
            if b is not None:
                pending = {"batch_id": b.batch_id, "ops": len(json.loads(b.op_ids)), "attempts": b.attempts,
                           "created_at": b.created_at.isoformat(timespec="seconds"),
                           "last_error": b.last_error or None}
            meta = repo.all_meta(s)
            waiting_by_type = _waiting_by_type(s)
            attention_by_type = _attention_by_type(s)
        skew = meta.get(META_SKEW)
        return SyncStatus(
            server_url=url, username=user,
            logged_in=bool(url and user and credentials.load_token(url, user)),
            counts=counts, outbox=outbox, pending_batch=pending,
            last_success=meta.get(META_LAST_SUCCESS) or None, last_error=meta.get(META_LAST_ERROR) or None,
            last_error_at=meta.get(META_LAST_ERROR_AT) or None,
            skew_seconds=float(skew) if skew else None, returned=returned, rejected=rejected,
            cursor=int(meta.get(META_CURSOR) or 0),
            waiting_by_type=waiting_by_type, attention_by_type=attention_by_type,
        )

    # ----------------------------------------------------------------- conflicts

    def conflict_view(self, record_id: str) -> conflicts.ConflictView | None:
        """The comparison of a household, member or proposal in conflict (None: not in conflict)."""
        with repo.session_scope(self.engine) as s:
            found = conflicts.find(s, record_id)
            return conflicts.view_of(*found) if found is not None else None

    def resolve_conflict(self, record_id: str, choices: Mapping[str, str]) -> None:
        """Keep the village's or the server's value per field; the result goes out as a new op."""
        with repo.session_scope(self.engine, write=True) as s:
            conflicts.resolve(s, record_id, choices, actor=self.actor, device_id=self.device_id)

