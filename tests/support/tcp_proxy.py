"""A loopback HTTP/1.1 proxy the fault tests control: what a village connection does to a sync.

It frames requests and responses (Content-Length or chunked), so a fault can target one request
(by method and path prefix) on a keep-alive connection and cut it at an exact byte offset:

- cut_upload(n):     forward only the first n bytes of the request, then reset both sides
                     (the server never sees a whole request);
- cut_response(n):   forward the whole request, let the server answer (it has committed), pass
                     only the first n bytes of the answer to the client, then reset it;
- delay(seconds):    hold the request that long, then pass it on;
- drop(seconds):     swallow the request, answer nothing for that long, then reset
                     (the client's read timeout fires first if it is shorter);
- refuse():          reset the connection at once, nothing forwarded;
- answer(status):    answer with this HTTP status (an empty JSON body) without forwarding, as a
                     broken server or gateway does (500, 502, 503).

Faults are one-shot by default (`times`), consumed in the order they were added. `down()` makes
every connection reset at once until `up()`. `requests` counts what went by, per path.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass


@dataclass
class Fault:
    kind: str  # cut_upload, cut_response, delay, drop, refuse, answer
    method: str | None = None  # "POST"; None = any
    path: str | None = None  # path prefix, e.g. "/api/v1/sync/batches"; None = any
    n: int = 0  # byte offset for cuts
    seconds: float = 0.0
    times: int = 1  # how many matching requests it applies to
    status: int = 500  # for "answer"
    after: int = 0  # let this many matching requests through untouched first

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or path.startswith(self.path))


class _Closed(Exception):
    pass


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): what a dropped mobile link looks like to the peer."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise _Closed()
        self.buf += chunk

    def until(self, marker: bytes) -> bytes:
        while marker not in self.buf:
            self._fill()
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def message(self) -> bytes:
        """One HTTP message (headers + body) as raw bytes."""
        head = self.until(b"\r\n\r\n")
        headers = {}
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower()] = v.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = b""
            while True:
                size_line = self.until(b"\r\n")
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                body += size_line + self.exactly(size + 2)
                if size == 0:
                    break
            return head + body
        return head + self.exactly(int(headers.get(b"content-length", b"0") or 0))


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._down = False
        self.requests: Counter[str] = Counter()
        self.last_request_size: dict[str, int] = {}
        self.last_response_size: dict[str, tuple[int, int]] = {}  # (header bytes, total bytes)
        self.triggered: list[Fault] = []
        self._srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", 0))
        self._srv.listen(64)
        self.port = self._srv.getsockname()[1]
        self._stopping = False
        self._conns: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, name="tcp-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def retarget(self, host: str, port: int) -> None:
        """Point at a restarted server (it may come back on another port)."""
        self.target = (host, port)

    # --- control

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def cut_upload(self, n: int, *, path: str = "/api/v1/sync/batches", method: str = "POST", times: int = 1) -> Fault:
        return self.add(Fault("cut_upload", method, path, n=n, times=times))

    def cut_response(self, n: int = 0, *, path: str = "/api/v1/sync/batches", method: str | None = None,
                     times: int = 1, after: int = 0) -> Fault:
        return self.add(Fault("cut_response", method, path, n=n, times=times, after=after))

    def delay(self, seconds: float, *, path: str | None = None, method: str | None = None, times: int = 1) -> Fault:
        return self.add(Fault("delay", method, path, seconds=seconds, times=times))

    def drop(self, seconds: float, *, path: str | None = None, method: str | None = None, times: int = 1) -> Fault:
        return self.add(Fault("drop", method, path, seconds=seconds, times=times))

    def refuse(self, *, path: str | None = None, method: str | None = None, times: int = 1) -> Fault:
        return self.add(Fault("refuse", method, path, times=times))

    def answer(self, status: int = 500, *, path: str | None = None, method: str | None = None,
               times: int = 1) -> Fault:
        return self.add(Fault("answer", method, path, times=times, status=status))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    def down(self) -> None:
        self._down = True
        self.reset_all()

    def up(self) -> None:
        self._down = False

    def reset_all(self) -> None:
        """Break every open connection (a link that just went away)."""
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            _reset(c)

    def close(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            self._srv.close()
        self.reset_all()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing

    def _take_fault(self, method: str, path: str) -> Fault | None:
        """The first armed fault for this request; every matching fault still waiting counts it."""
        with self._lock:
            chosen: Fault | None = None
            for f in list(self._faults):
                if not f.matches(method, path):
                    continue
                if f.after > 0:
                    f.after -= 1
                elif chosen is None:
                    chosen = f
            if chosen is not None:
                chosen.times -= 1
                if chosen.times <= 0:
                    self._faults.remove(chosen)
                self.triggered.append(chosen)
            return chosen

    def _accept_loop(self) -> None:
        while not self._stopping:
            try:
                client, _ = self._srv.accept()
            except OSError:
                return
            if self._down:
                _reset(client)
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, *socks: socket.socket, add: bool) -> None:
        with self._lock:
            for s in socks:
                (self._conns.add if add else self._conns.discard)(s)

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        self._track(client, add=True)
        try:
            creader = _Reader(client)
            ureader: _Reader | None = None
            while True:
                try:
                    request = creader.message()
                except (_Closed, OSError):
                    return
                line = request.split(b"\r\n", 1)[0].decode("latin-1")
                parts = line.split(" ")
                method, path = (parts[0], parts[1]) if len(parts) >= 2 else ("", "")
                path_only = path.split("?", 1)[0]
                self.requests[f"{method} {path_only}"] += 1
                self.last_request_size[f"{method} {path_only}"] = len(request)
                fault = self._take_fault(method, path_only)
                if self._down or (fault is not None and fault.kind == "refuse"):
                    _reset(client)
                    return
                if fault is not None and fault.kind == "answer":
                    body = b'{"detail": "Internal Server Error"}'
                    head = (f"HTTP/1.1 {fault.status} Error\r\ncontent-type: application/json\r\n"
                            f"content-length: {len(body)}\r\n\r\n").encode()
                    try:
                        client.sendall(head + body)
                    except OSError:
                        return
                    continue
                if fault is not None and fault.kind == "delay":
                    time.sleep(fault.seconds)
                if fault is not None and fault.kind == "drop":
                    time.sleep(fault.seconds)
                    _reset(client)
                    return
                if upstream is None:
                    try:
                        upstream = socket.create_connection(self.target, timeout=60)
                    except OSError:
                        _reset(client)
                        return
                    self._track(upstream, add=True)
                    ureader = _Reader(upstream)
                assert ureader is not None
                if fault is not None and fault.kind == "cut_upload":
                    with contextlib.suppress(OSError):
                        upstream.sendall(request[: fault.n])
                    _reset(upstream)
                    _reset(client)
                    return
                try:
                    upstream.sendall(request)
                    response = ureader.message()
                except (_Closed, OSError):
                    _reset(client)  # the server died or hung up: no answer for the client
                    return
                head_len = response.index(b"\r\n\r\n") + 4
                self.last_response_size[f"{method} {path_only}"] = (head_len, len(response))
                if fault is not None and fault.kind == "cut_response":
                    with contextlib.suppress(OSError):
                        client.sendall(response[: fault.n])
                    _reset(client)
                    return
                try:
                    client.sendall(response)
                except OSError:
                    return
                if b"\r\nconnection: close" in response.split(b"\r\n\r\n", 1)[0].lower():
                    return
        finally:
            if upstream is not None:
                self._track(upstream, add=False)
                with contextlib.suppress(OSError):
                    upstream.close()
            self._track(client, add=False)
            with contextlib.suppress(OSError):
                client.close()
