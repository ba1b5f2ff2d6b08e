"""HTTP client of the sync protocol (design.md §4), on `requests`.

Every call has a timeout. Errors are typed so callers can tell what to do:
- Offline: no connection was made (or it broke before an answer): try later;
- AuthError: the token is missing, expired or revoked: log in again;
- Rejected: the server understood and refused (4xx), with its message;
- ServerError: 5xx, a cut answer or a garbled one: the outcome is unknown, resend the same batch.
Messages are in Bahasa Indonesia: they reach operators through the status bar and the CLI.
"""

from __future__ import annotations

import gzip
import json
import logging
import socket
import threading
import weakref
from datetime import datetime
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from domain.errors import KnownError
from sync.protocol import (
    OLD_CLIENT_MESSAGE,
    OLD_SERVER_MESSAGE,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    BatchResponse,
    DeviceRegisterRequest,
    DeviceRegisterResponse,
    HealthResponse,
    LoginRequest,
    LoginResponse,
    RecordChangesPage,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 120.0  # a 1000-op batch on a slow line; the server answers only after its commit
PROBE_TIMEOUT = 3.0
USER_AGENT = "bansos-desa-sync/1"


class SyncError(KnownError):
    """Base of the expected sync failures; `message` is what the operator or reviewer reads."""

    @classmethod
    def default_message(cls) -> str:
        return "Sinkronisasi dengan server gagal. Coba lagi sebentar lagi."


class Offline(SyncError):
    """The server could not be reached, or the connection broke before any answer."""

    @classmethod
    def default_message(cls) -> str:
        return "Server tidak bisa dihubungi. Periksa koneksi internet, lalu coba lagi."


class CertificateError(Offline):
    """The HTTPS certificate was not trusted (wrong or missing CA file): no answer was read, so it
    is retried like Offline, but the operator is told what to fix instead of "check the internet"."""

    @classmethod
    def default_message(cls) -> str:
        return ("Sertifikat HTTPS server tidak dipercaya oleh komputer ini (file CA dari provisioning tidak "
                "cocok atau belum dipasang). Hubungi petugas IT kabupaten.")


class AuthError(SyncError):
    """401 (or a token we do not have): the operator must log in again."""

    @classmethod
    def default_message(cls) -> str:
        return "Sesi login sudah berakhir atau tidak sah. Silakan login ulang."


class DeviceRejected(AuthError):
    """The server does not accept this device for this account (403): register it again."""

    @classmethod
    def default_message(cls) -> str:
        return "Server menolak perangkat ini. Silakan login ulang untuk mendaftarkannya."


class Rejected(SyncError):
    """A 4xx answer: the server refused the request as sent. `detail` is the server's own text."""

    def __init__(self, status: int, detail: str) -> None:
        if status in (403, 404):
            text = f"Data ini di luar wilayah Anda atau tidak ada ({detail})."
        else:
            text = f"Server menolak permintaan: {detail}"
        super().__init__(text)
        self.status = status
        self.detail = detail


class OldClient(SyncError):
    """403 with OLD_CLIENT_MESSAGE: the server speaks a newer protocol. The run stops and nothing local
    changes (no token forgotten, no op dropped): the unsent work waits for the upgraded app."""

    @classmethod
    def default_message(cls) -> str:
        return OLD_CLIENT_MESSAGE


class OldServer(SyncError):
    """The server answers health with a protocol older than ours: nothing is sent to it (it would
    refuse our ops with 422, which must never turn the village's work INVALID)."""

    @classmethod
    def default_message(cls) -> str:
        return OLD_SERVER_MESSAGE


class ServerError(SyncError):
    """A 5xx, a cut or garbled answer: the outcome is unknown. `detail` says which."""

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(f"Server sedang bermasalah: {detail} Coba lagi sebentar lagi.")
        self.detail = detail
        self.status = status


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip (no timestamp), so a resent batch is byte-for-byte the same."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _detail_of(resp: requests.Response) -> str:
    """The server's message from an error body (FastAPI puts it in `detail`)."""
    try:
        body = resp.json()
    except ValueError:
        return (resp.text or "").strip()[:300]
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if not detail:
        return ""  # nothing said: the caller names the status code instead
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # pydantic errors: keep the messages only
        parts = [str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail[:5]]
        return "; ".join(parts)
    return json.dumps(detail, ensure_ascii=False)[:300]


class _AbortableAdapter(HTTPAdapter):
    """Remembers the connections it opens, so abort() can shut their sockets from another thread: a
    request blocked on a hung server then ends at once (as Offline) instead of after its read timeout."""

    def __init__(self) -> None:
        self.opened: weakref.WeakSet[Any] = weakref.WeakSet()
        self.lock = threading.Lock()
        super().__init__()

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        super().init_poolmanager(*args, **kw)
        adapter = self

        def tracking(base: type[Any]) -> type[Any]:
            class Pool(base):
                def _new_conn(self) -> Any:
                    conn = super()._new_conn()
                    with adapter.lock:
                        adapter.opened.add(conn)
                    return conn
            return Pool

        self.poolmanager.pool_classes_by_scheme = {"http": tracking(HTTPConnectionPool),
                                                   "https": tracking(HTTPSConnectionPool)}

    def abort(self) -> None:
        with self.lock:
            conns = list(self.opened)
        for conn in conns:
            sock = getattr(conn, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class SyncClient:
    """One server, one token. Thread-confined: make one per background job (abort() excepted)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        verify: str | bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = (connect_timeout, read_timeout)
        self.session = requests.Session()
        self._adapter = _AbortableAdapter()
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)
        self.aborted = False
        # A CA file from provisioning (a district's own HTTPS certificate), else the system CAs.
        self.verify = verify
        self.session.verify = verify
        self.session.headers["User-Agent"] = USER_AGENT
        # Protocol 2 on every request (ADR 0005): an upgraded server refuses sync requests without it.
        self.session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        self.last_server_time: datetime | None = None

    def close(self) -> None:
        self.session.close()

    def abort(self) -> None:
        """From another thread: end the request in progress now (it raises Offline) and refuse new ones."""
        self.aborted = True
        self._adapter.abort()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- endpoints

    def health(self, timeout: float = PROBE_TIMEOUT) -> HealthResponse:
        """The cheap reachability check (no auth, tiny answer)."""
        resp = self._request("GET", "/api/v1/health", timeout=(timeout, timeout), auth=False)
        out = self._parse(resp, HealthResponse)
        self.last_server_time = out.server_time
        return out

    def require_protocol(self) -> HealthResponse:
        """Health first: a server older than protocol 2 (no `protocol` field = 1) gets nothing."""
        h = self.health(timeout=max(PROBE_TIMEOUT, self.timeout[0]))
        if h.protocol < PROTOCOL_VERSION:
            log.warning("server speaks sync protocol %s; this app needs %s: nothing sent", h.protocol, PROTOCOL_VERSION)
            raise OldServer()
        return h

    def login(self, username: str, password: str) -> LoginResponse:
        body = LoginRequest(username=username, password=password).model_dump_json().encode()
        resp = self._request("POST", "/api/v1/auth/login", data=body, auth=False,
                             headers={"Content-Type": "application/json"})
        out = self._parse(resp, LoginResponse)
        self.token = out.access_token
        return out

    def register_device(self, desa_code: str, label: str = "") -> DeviceRegisterResponse:
        body = DeviceRegisterRequest(desa_code=desa_code, label=label).model_dump_json().encode()
        resp = self._request("POST", "/api/v1/devices", data=body, headers={"Content-Type": "application/json"})
        return self._parse(resp, DeviceRegisterResponse)

    def post_batch(self, batch_id: str, body_gz: bytes) -> BatchResponse:
        """Send one batch (already gzip-compressed JSON). Same batch id => same stored answer."""
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Idempotency-Key": batch_id,
        }
        resp = self._request("POST", "/api/v1/sync/batches", data=body_gz, headers=headers)
        out = self._parse(resp, BatchResponse)
        self.last_server_time = out.server_time
        return out

    def get_changes(self, since: int, limit: int, device_id: str) -> RecordChangesPage:
        params = {"since": since, "limit": limit, "device_id": device_id}
        resp = self._request("GET", "/api/v1/sync/changes", params=params)
        out = self._parse(resp, RecordChangesPage)
        self.last_server_time = out.server_time
        return out

    def get_reports(self, since: int, device_id: str, limit: int = 200) -> dict[str, Any]:
        """The desa's citizens' reports after `since` (issue 16, stage 2)."""
        resp = self._request("GET", "/api/v1/sync/reports", params={"since": since, "limit": limit,
                                                                      "device_id": device_id})
        return self._json(resp)

    def post_report_outcome(self, ticket: str, state: str, note: str, proposal_id: str = "") -> dict[str, Any]:
        body = json.dumps({"state": state, "note": note, "proposal_id": proposal_id}).encode()
        resp = self._request("POST", f"/api/v1/sync/reports/{ticket}/outcome", data=body,
                             headers={"Content-Type": "application/json"})
        return self._json(resp)

    @staticmethod
    def _json(resp: requests.Response) -> dict[str, Any]:
        try:
            out = resp.json()
        except ValueError as e:
            raise ServerError("jawabannya tidak bisa dibaca.", resp.status_code) from e
        if not isinstance(out, dict):
            raise ServerError("jawabannya tidak bisa dibaca.", resp.status_code)
        return out

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """A plain authenticated GET (status pages, tests); errors typed like the rest."""
        resp = self._request("GET", path, params=params)
        try:
            return resp.json()
        except ValueError as e:
            raise ServerError("jawabannya tidak bisa dibaca.", resp.status_code) from e

    # --- plumbing

    def _request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: tuple[float, float] | None = None,
        auth: bool = True,
    ) -> requests.Response:
        hdrs = dict(headers or {})
        if auth:
            if not self.token:
                raise AuthError("Belum login ke server. Jalankan 'bansos login' atau login dari menu Sinkronisasi.")
            hdrs["Authorization"] = f"Bearer {self.token}"
        url = self.base_url + path
        if self.aborted:
            raise Offline("Sinkronisasi dibatalkan.")
        try:
            # verify= per request: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's
            # CA file, which would silently drop the provisioned one on machines that set them.
            resp = self.session.request(method, url, data=data, params=params, headers=hdrs,
                                        timeout=timeout or self.timeout, verify=self.verify)
            resp.content  # noqa: B018 - read the whole body inside the try: a cut answer raises here
        except requests.exceptions.SSLError as e:
            log.warning("sync %s %s: TLS certificate not trusted (%s)", method, path, type(e).__name__)
            raise CertificateError() from e
        except requests.ConnectionError as e:
            # Refused/unreachable, or reset mid-way: either way no answer arrived.
            log.info("sync %s %s: no connection (%s)", method, path, type(e).__name__)
            raise Offline() from e
        except requests.Timeout as e:
            log.info("sync %s %s: timeout", method, path)
            raise Offline("Server tidak menjawab (waktu habis). Periksa koneksi internet, lalu coba lagi.") from e
        except requests.RequestException as e:  # cut/garbled body, bad chunking
            log.info("sync %s %s: broken answer (%s)", method, path, type(e).__name__)
            raise ServerError("jawabannya terputus di tengah jalan.") from e
        status = resp.status_code
        if status == 401:
            # Without a token (the login itself) the server's own text says what was wrong.
            raise AuthError("" if auth else _detail_of(resp))
        if status == 403 and _detail_of(resp) == OLD_CLIENT_MESSAGE:
            log.warning("sync %s %s: refused as an old client (protocol %s)", method, path, PROTOCOL_VERSION)
            raise OldClient()
        if 400 <= status < 500:
            raise Rejected(status, _detail_of(resp) or f"kode {status}")
        if status >= 500 or status >= 300:
            log.warning("sync %s %s: server status %s", method, path, status)
            raise ServerError(f"kode {status}.", status)
        return resp

    @staticmethod
    def _parse(resp: requests.Response, model: type[M]) -> M:
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as e:
            # A 200 we cannot read counts as "no answer": the same request is safe to repeat.
            raise ServerError("jawabannya tidak bisa dibaca.", resp.status_code) from e
