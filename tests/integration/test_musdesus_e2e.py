"""Issue 15 end to end: a Musdesus on the real screen decides 20 proposals (17 agreed, 3 not) from
the keyboard, the signed minutes are attached, the meeting is closed; a sync against a real server
process then sends the 20 families and only the 17 agreed proposals (asserted on the server's own
database), each carrying the meeting's date, minutes number and minutes hash, which the reviewer
sees; the 3 others wait in the village.

BANSOS_SCREENSHOT_DIR=docs/screenshots saves the screen as musdesus-screen.png (docs).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import Engine, text

from desktop_app.review.service import ReviewService
from desktop_app.services.musdesus import MusdesusService
from local_db import send_rule
from local_db.repository import session_scope, set_meta
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_fixtures import module_server, server_db_of
from ui.musdesus_screen import MusdesusScreen

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "musdesussrv")


@pytest.fixture(scope="module")
def server_db(srv: ServerProcess) -> Iterator[Engine]:
    yield from server_db_of(srv)


def test_a_musdesus_decides_20_and_only_the_17_agreed_reach_the_server(
        qtbot, tmp_path: Path, srv: ServerProcess, server_db: Engine) -> None:  # type: ignore[no-untyped-def]
    v = Village.create(tmp_path / "pc", srv.url, "op1")
    try:
        with session_scope(v.engine, write=True) as s:
            set_meta(s, send_rule.META_MUSDESUS_REQUIRED, "1")
        fams = v.families(20)
        minutes = tmp_path / "berita-acara-musdesus.pdf"
        minutes.write_bytes(b"%PDF-1.4\n% ditandatangani\n" + b"0" * 2000)
        service = MusdesusService(v.engine, operator="Operator Uji", device_id=v.ctx.device_id or "",
                                  desa_code=v.desa)
        screen = MusdesusScreen(service, ask_file=lambda _w: minutes)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        qtbot.keyClicks(screen.place, "Balai Desa Buluh Tumbang")
        qtbot.keyClicks(screen.chair, "Kepala Desa")
        screen.present.setValue(31)
        qtbot.keyClicks(screen.ref, "BA/07/XII/2026")
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
        assert screen.table.rowCount() == 20 and screen.focusWidget() is screen.table

        for _ in range(17):
            qtbot.keyClick(screen.table, Qt.Key.Key_A)
        for _ in range(3):
            qtbot.keyClick(screen.table, Qt.Key.Key_T)  # no note yet: asked for, the note field gets the focus
            assert "alasan" in screen.status.text() and screen.focusWidget() is screen.note
            qtbot.keyClicks(screen.note, "Sudah menerima bantuan lain")
            qtbot.keyClick(screen.note, Qt.Key.Key_Return)
        assert screen.counts.text() == "20 usulan: 17 setuju, 3 tidak setuju, 0 belum diputuskan"
        assert screen.table.item(19, 6).text() == "Sudah menerima bantuan lain"
        qtbot.mouseClick(screen.attach_button, Qt.MouseButton.LeftButton)
        assert "berita-acara-musdesus.pdf" in screen.minutes_label.text()
        if out := os.environ.get("BANSOS_SCREENSHOT_DIR"):
            screen.table.selectRow(16)
            screen.grab().save(str(Path(out) / "musdesus-screen.png"), "PNG")
        qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
        assert "ditutup" in screen.status.text()

        report = v.sync()
        assert report is not None
        agreed = {f.proposal_id for f in fams[:17]}
        with server_db.connect() as c:
            got = {r[0]: json.loads(r[1]) for r in c.execute(
                text("SELECT record_id, payload FROM srv_proposal WHERE desa_code = :d"), {"d": v.desa})}
            on_server = {r[0] for r in c.execute(text("SELECT record_id FROM srv_household WHERE desa_code = :d"),
                                                  {"d": v.desa})}
        assert set(got) == agreed
        assert all(p["musdesus_decision"] == "agreed" and p["musdesus_date"] and p["musdesus_ref"] == "BA/07/XII/2026"
                   for p in got.values())
        assert {f.household_id for f in fams} <= on_server  # families go out whatever their proposal's fate
        digest = hashlib.sha256(minutes.read_bytes()).hexdigest()
        assert {p["musdesus_minutes_sha256"] for p in got.values()} == {digest}

        # The kecamatan reviewer sees the meeting and its minutes on the proposal.
        review = ReviewService(ReviewService.login(srv.url, "rev1", PASSWORD))
        seen = review.proposal(fams[0].proposal_id)
        assert seen.musdesus_decision == "agreed" and seen.musdesus_minutes_sha256 == digest
        assert "BA BA/07/XII/2026" in seen.musdesus_text and digest[:12] in seen.musdesus_text
        with session_scope(v.engine) as s:
            assert send_rule.held_count(s) == 3
        assert {v.state(f.proposal_id) for f in fams[17:]} == {"NEW"}
        assert {v.state(f.household_id) for f in fams} == {"SYNCED"}
    finally:
        v.close()
