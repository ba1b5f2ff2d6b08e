"""The HTTP client's typed errors and headers, against a small real HTTP server on loopback."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sync.client import AuthError, Offline, OldClient, OldServer, Rejected, ServerError, SyncClient, gzip_bytes
from sync.protocol import OLD_CLIENT_MESSAGE, OLD_SERVER_MESSAGE, PROTOCOL_HEADER

BATCH_OK = {"batch_id": "b-00000001", "server_time": "2026-01-01T00:00:00Z",
            "results": [{"op_id": "op-0000001", "record_id": "rec-000001", "status": "ACCEPTED", "version": 1}]}


class Script:
    """What the fake server answers next, and what it saw."""

    def __init__(self) -> None:
        self.status = 200
        self.body: bytes = json.dumps(BATCH_OK).encode()
        self.delay = 0.0
        self.seen: list[dict[str, Any]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            script.seen.append({"path": self.path, "headers": dict(self.headers), "body": raw})
            time.sleep(script.delay)
            self.send_response(script.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(script.body)))
            self.end_headers()
            self.wfile.write(script.body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def test_a_batch_goes_gzipped_with_its_idempotency_key_and_token(server: tuple[str, Script]) -> None:
    url, script = server
    body = json.dumps({"device_id": "device-01", "ops": []}).encode()
    with SyncClient(url, "tok-123") as c:
        resp = c.post_batch("b-00000001", gzip_bytes(body))
    assert resp.results[0].status == "ACCEPTED"
    seen = script.seen[0]
    assert seen["headers"]["Idempotency-Key"] == "b-00000001"
    assert seen["headers"]["Content-Encoding"] == "gzip"
    assert seen["headers"]["Authorization"] == "Bearer tok-123"
    assert gzip.decompress(seen["body"]) == body
    assert c.last_server_time is not None


def test_no_server_listening_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with SyncClient(f"http://127.0.0.1:{port}", "t", connect_timeout=1) as c, pytest.raises(Offline) as e:
        c.post_batch("b-00000001", b"")
    assert "tidak bisa dihubungi" in str(e.value)


def test_a_slow_answer_times_out_as_offline(server: tuple[str, Script]) -> None:
    url, script = server
    script.delay = 1.5
    with SyncClient(url, "t", read_timeout=0.3) as c, pytest.raises(Offline):
        c.get_changes(0, 10, "device-01")


@pytest.mark.parametrize(("status", "body", "error", "text"), [
    (401, {"detail": "Token kedaluwarsa"}, AuthError, "login ulang"),
    (422, {"detail": "Idempotency-Key ini sudah dipakai"}, Rejected, "Idempotency-Key ini sudah dipakai"),
    (413, {"detail": [{"msg": "Batch terlalu besar"}]}, Rejected, "Batch terlalu besar"),
    (500, {"detail": "boom"}, ServerError, "kode 500"),
    (503, {}, ServerError, "kode 503"),
])
def test_http_errors_are_typed_with_an_operator_message(server: tuple[str, Script], status: int, body: Any,
                                                        error: type[Exception], text: str) -> None:
    url, script = server
    script.status, script.body = status, json.dumps(body).encode()
    with SyncClient(url, "t") as c, pytest.raises(error) as e:
        c.post_batch("b-00000001", b"x")
    assert text in str(e.value)
    if isinstance(e.value, Rejected):
        assert e.value.status == status


def test_an_unreadable_200_means_the_outcome_is_unknown(server: tuple[str, Script]) -> None:
    url, script = server
    script.body = b'{"batch_id": "b", "resu'
    with SyncClient(url, "t") as c, pytest.raises(ServerError):
        c.post_batch("b-00000001", b"x")


def test_no_token_never_sends_anything(server: tuple[str, Script]) -> None:
    url, script = server
    with SyncClient(url, None) as c, pytest.raises(AuthError):
        c.get_changes(0, 10, "device-01")
    assert script.seen == []


@pytest.mark.parametrize(("status", "body", "text"), [
    (401, {"detail": "Token kedaluwarsa"}, "Sesi login sudah berakhir atau tidak sah. Silakan login ulang."),
    (403, {"detail": "Record r-1 milik desa lain"},
     "Data ini di luar wilayah Anda atau tidak ada (Record r-1 milik desa lain)."),
    (404, {"detail": "Entri tidak ditemukan"}, "Data ini di luar wilayah Anda atau tidak ada (Entri tidak ditemukan)."),
    (422, {"detail": "Idempotency-Key ini sudah dipakai"}, "Server menolak permintaan: Idempotency-Key ini sudah dipakai"),
    (422, {}, "Server menolak permintaan: kode 422"),
    (503, {}, "Server sedang bermasalah: kode 503. Coba lagi sebentar lagi."),
])
def test_what_the_user_reads_for_each_http_refusal(server: tuple[str, Script], status: int, body: Any,
                                                   text: str) -> None:
    # These texts are shown as they are by the operator's and the reviewer's screens (KnownError).
    url, script = server
    script.status, script.body = status, json.dumps(body).encode()
    with SyncClient(url, "t") as c, pytest.raises((AuthError, Rejected, ServerError)) as e:
        c.get_json("/api/v1/anything")
    assert e.value.message == text


def test_what_the_user_reads_when_offline_or_the_login_is_refused(server: tuple[str, Script]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with SyncClient(f"http://127.0.0.1:{port}", "t", connect_timeout=1) as c, pytest.raises(Offline) as off:
        c.health()
    assert off.value.message == "Server tidak bisa dihubungi. Periksa koneksi internet, lalu coba lagi."
    # The login itself has no session to expire: the server's own reason is shown.
    url, script = server
    script.status, script.body = 401, json.dumps({"detail": "Nama pengguna atau kata sandi salah."}).encode()
    with SyncClient(url, None) as c, pytest.raises(AuthError) as bad:
        c.login("operator", "salah-sekali")
    assert bad.value.message == "Nama pengguna atau kata sandi salah."


def test_every_request_says_protocol_2(server: tuple[str, Script]) -> None:
    url, script = server
    with SyncClient(url, "t") as c:
        c.post_batch("b-00000001", gzip_bytes(b"{}"))
        script.body = json.dumps({"changes": [], "next_cursor": 0, "has_more": False,
                                  "server_time": "2026-01-01T00:00:00Z"}).encode()
        c.get_changes(0, 10, "device-01")
    assert [s["headers"][PROTOCOL_HEADER] for s in script.seen] == ["2", "2"]


@pytest.mark.parametrize(("health", "ok"), [
    ({"status": "ok", "version": "1", "server_time": "2026-01-01T00:00:00Z"}, False),  # no field: protocol 1
    ({"status": "ok", "version": "1", "server_time": "2026-01-01T00:00:00Z", "protocol": 1}, False),
    ({"status": "ok", "version": "2", "server_time": "2026-01-01T00:00:00Z", "protocol": 2}, True),
])
def test_a_server_older_than_protocol_2_is_told_apart_by_its_health(server: tuple[str, Script],
                                                                   health: dict[str, Any], ok: bool) -> None:
    url, script = server
    script.body = json.dumps(health).encode()
    with SyncClient(url, "t") as c:
        if ok:
            assert c.require_protocol().protocol == 2
        else:
            with pytest.raises(OldServer) as e:
                c.require_protocol()
            assert e.value.message == OLD_SERVER_MESSAGE


def test_an_upgraded_server_refusing_an_old_client_is_its_own_error(server: tuple[str, Script]) -> None:
    """Not DeviceRejected/Rejected: nothing about the device or the ops is wrong, so nothing is reset."""
    url, script = server
    script.status, script.body = 403, json.dumps({"detail": OLD_CLIENT_MESSAGE}).encode()
    with SyncClient(url, "t") as c, pytest.raises(OldClient) as e:
        c.post_batch("b-00000001", b"x")
    assert e.value.message == OLD_CLIENT_MESSAGE and not isinstance(e.value, Rejected)
