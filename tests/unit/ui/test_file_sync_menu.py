"""The Sinkronisasi menu's "Kirim lewat berkas…" / "Baca balasan berkas…" (issue 17): the Qt file
dialogs answered by the test (they are modal), the work on the TaskRunner, the outcome in the status
bar or as a warning. The server's side is played by a key pair made here: what the device writes
opens with the server's key, and a reply sealed with it is applied."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from desktop_app import messages
from desktop_app.context import AppContext
from domain.sealed_file import FileKind, KeyPair, PublicKeys, open_sealed, seal
from sync import file_sync

DEVICE = "perangkat-uji-1"


@pytest.fixture
def server_keys(context: AppContext) -> KeyPair:
    keys = KeyPair.generate()
    context.set_meta("device_id", DEVICE)
    file_sync.set_server_keys(context.engine, keys.public().to_text())
    return keys


def _choose(monkeypatch: pytest.MonkeyPatch, name: str, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *_a, **_k: (str(path), "")))


def _send(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    _choose(monkeypatch, "getSaveFileName", path)
    window.findChild(QAction, "actSendFile").trigger()
    qtbot.waitUntil(lambda: path.exists() and window.runner.idle, timeout=10000)


def test_menu_sends_by_file_and_reads_the_reply(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path, context: AppContext, server_keys: KeyPair) -> None:
    menu_texts = [a.text() for a in window.menu("sync").actions()]
    assert "&Kirim lewat berkas…" in menu_texts and "Baca &balasan berkas…" in menu_texts

    batch = tmp_path / "kiriman.bansos"
    _send(window, qtbot, monkeypatch, batch)
    qtbot.waitUntil(lambda: "Terkirim ke kiriman.bansos" in window.statusBar().currentMessage(), timeout=5000)
    device_pub = file_sync.device_keys(context.engine).public()
    opened = open_sealed(batch.read_bytes(), kind=FileKind.BATCHES, recipient="server", recipient_keys=server_keys,
                         sender_of=lambda _s: (device_pub, context.desa_code or ""))
    ops = [op for b in opened.body["batches"] for op in b["request"]["ops"]]
    assert ops  # the seeded families are not sent yet

    # The server accepts every op (version 1) and has nothing new for the desa.
    now = datetime.now(UTC).isoformat()
    results = [{"batch_id": b["batch_id"], "response": {"batch_id": b["batch_id"], "server_time": now, "results": [
        {"op_id": op["op_id"], "record_type": op["record_type"], "record_id": op["record_id"], "status": "ACCEPTED",
         "version": 1} for op in b["request"]["ops"]]}} for b in opened.body["batches"]]
    page = {"since": 0, "changes": [], "next_cursor": 0, "has_more": False, "server_time": now}
    reply = tmp_path / "balasan.bansos"
    reply.write_bytes(seal({"format": 1, "results": results, "pages": [page]}, kind=FileKind.REPLY, sender="server",
                           sender_keys=server_keys, recipient=DEVICE, recipient_keys=PublicKeys(
                               device_pub.sign, device_pub.box), desa_code=context.desa_code or ""))
    _choose(monkeypatch, "getOpenFileName", reply)
    window.findChild(QAction, "actReadReply").trigger()
    qtbot.waitUntil(lambda: f"Balasan diterapkan: {len(ops)} diterima" in window.statusBar().currentMessage(),
                    timeout=10000)
    qtbot.waitUntil(lambda: "0 belum dikirim" in window.count_label.text(), timeout=5000)  # counts refresh after


def test_choosing_the_wrong_file_as_the_reply_warns_in_indonesian(window: Any, qtbot: Any,
                                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                   server_keys: KeyPair) -> None:
    batch = tmp_path / "kiriman.bansos"
    _send(window, qtbot, monkeypatch, batch)
    history = messages.bridge().history
    history.clear()  # the bridge keeps only the last 50 messages: an index into a full history would never move
    seen = 0
    _choose(monkeypatch, "getOpenFileName", batch)  # the file meant for the server, not its reply
    window.findChild(QAction, "actReadReply").trigger()
    qtbot.waitUntil(lambda: any("bukan berkas balasan server" in t for lvl, t in history[seen:]
                                if lvl == "warning"), timeout=10000)


def test_cancelled_dialog_does_nothing(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path, server_keys: KeyPair) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: ("", "")))
    window.findChild(QAction, "actSendFile").trigger()
    assert window.runner.idle and not list(tmp_path.glob("*.bansos"))
