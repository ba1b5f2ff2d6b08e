"""A review scenario on a real server: two villages of one kecamatan send their families (households,
members, proposals) as protocol-2 batches, with the usual problems — the same person (NIK) in both
villages, a reference-list recipient, a probable same person under another spelling — and a few
decisions already made. Used by the review end-to-end tests, the screenshots and the review benchmark.

    python -m tests.support.review_demo docs/screenshots     # writes docs/screenshots/review-*.png
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.review_families import Family, family
from tests.support.serverdata import batch
from tests.support.serverproc import PASSWORD, ServerProcess

DESA_A, DESA_B = "1902012003", "1902012004"
PROTOCOL = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


def send(srv: ServerProcess, user: str, device: str, ops: list[dict[str, Any]],
         batch_id: str | None = None) -> dict[str, Any]:
    """One protocol-2 batch from a village's device; every op must be accepted."""
    r = srv.post("/api/v1/sync/batches", user, json=batch(device, ops),
                 headers={**PROTOCOL, "Idempotency-Key": batch_id or str(uuid.uuid4())})
    if r.status_code != 200:
        raise RuntimeError(f"batch of {user}: {r.status_code} {r.text}")
    body: dict[str, Any] = r.json()
    refused = [x for x in body["results"] if x["status"] not in ("ACCEPTED", "DUPLICATE")]
    if refused:
        raise RuntimeError(f"batch of {user}: {refused}")
    return body


def get(srv: ServerProcess, path: str, user: str, **params: Any) -> Any:
    r = srv.get(path, user, headers=PROTOCOL, params=params)
    r.raise_for_status()
    return r.json()


def post(srv: ServerProcess, path: str, user: str, body: dict[str, Any]) -> Any:
    r = srv.post(path, user, headers=PROTOCOL, json=body)
    r.raise_for_status()
    return r.json()


@dataclass
class Demo:
    server: ServerProcess
    devices: dict[str, str]  # operator -> device id
    families: dict[str, Family] = field(default_factory=dict)  # "a0".."a23", "b0".."b15"

    def proposal(self, key: str, programme: str = "PKH") -> str:
        return self.families[key].proposals[programme]

    def pulled(self, user: str) -> dict[str, dict[str, Any]]:
        """What the village's next pull brings: record_id -> ServerRecord (as its app stores it)."""
        out: dict[str, dict[str, Any]] = {}
        since = 0
        while True:
            page = get(self.server, "/api/v1/sync/changes", user, since=since, limit=500, device_id=self.devices[user])
            out.update({c["record"]["record_id"]: c["record"] for c in page["changes"] if c["record"]})
            since = page["next_cursor"]
            if not page["has_more"]:
                return out


def seed(srv: ServerProcess, *, n_a: int = 24, n_b: int = 16) -> Demo:
    """Two villages send their families; the demo's keys name the interesting ones:
    a3/b2 — the same head of family (NIK) in both villages; a1 — head in the reference list (BPNT, pusat);
    a6/b5 — probably the same man under another spelling and NIK; every third family also has a PBI-JK
    proposal for its youngest member; a few families propose BPNT too."""
    demo = Demo(srv, {u: srv.register_device(u) for u in ("op1", "op2")})
    for i in range(n_a):
        demo.families[f"a{i}"] = family(DESA_A, 100 + i, size=2 + i % 4, seed=i,
                                        programmes=("PKH", "BPNT") if i % 5 == 2 else ("PKH",),
                                        person_programme="PBI-JK" if i % 3 == 0 else None)
    a3 = demo.families["a3"]
    born = date(1972, 3, 14)
    demo.families["a6"] = family(DESA_A, 106, size=3, seed=6, head_name="Muhammad Rizki Pratama", head_born=born,
                                 head_nik=f"{DESA_A[:6]}{born:%d%m%y}0777")
    for i in range(n_b):
        demo.families[f"b{i}"] = family(DESA_B, 500 + i, size=2 + (i + 1) % 4, seed=100 + i,
                                        person_programme="PBI-JK" if i % 4 == 1 else None)
    demo.families["b2"] = family(DESA_B, 502, size=1, seed=102, programmes=(), person_programme="PBI-JK",
                                 head_nik=a3.head["nik"], head_name=a3.head["name"],
                                 head_born=date.fromisoformat(a3.head["birth_date"]))
    demo.families["b5"] = family(DESA_B, 505, size=2, seed=105, head_name="Mohamad Rizky Pratama", head_born=born,
                                 head_nik=f"{DESA_B[:6]}{born:%d%m%y}0778")
    with tempfile.TemporaryDirectory() as td:
        ref = Path(td) / "penerima.csv"
        ref.write_text("nik,programme,level,status,period\n"
                       f"{demo.families['a1'].head['nik']},BPNT,pusat,aktif,2026\n", encoding="utf-8")
        srv.cli("import-reference", str(ref))
    for user, prefix, n in (("op1", "a", n_a), ("op2", "b", n_b)):
        ops = [o for i in range(n) for o in demo.families[f"{prefix}{i}"].ops]
        send(srv, user, demo.devices[user], ops)
    return demo


def decide_some(demo: Demo) -> None:
    """A few decisions already made, so the inbox and dashboard show every state."""
    srv = demo.server

    def decide(keys: list[str], **body: Any) -> None:
        post(srv, "/api/v1/review/decisions", "rev1", {"record_ids": [demo.proposal(k) for k in keys], **body})

    decide([f"a{i}" for i in range(10, 20)] + [f"b{i}" for i in range(10, 14)], decision="approve")
    decide(["a20", "b14"], decision="reject", reason_code="R06")
    decide(["a21"], decision="return", note="Foto rumah belum ada; kondisi atap tidak sesuai",
           review_fields=["household.housing"])


def screenshots(out_dir: Path) -> list[Path]:
    """Render the review workspace on the demo data: inbox, a proposal with its family beside it, a duplicate
    group, the dashboard, and the history of a proposal returned, fixed by the village and approved."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtCore import QEventLoop, QTimer

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from desktop_app.context import AppContext
    from desktop_app.tasks import TaskRunner
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.review import attach
    from ui.review.workspace import TAB_DASHBOARD, TAB_DUPLICATES, TAB_INBOX, TAB_PROPOSALS

    app = create_application(["bansos"])

    def wait(cond: Any, timeout: float = 30.0) -> None:
        import time

        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("screenshot scene did not load")
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        srv = ServerProcess(tmp)
        try:
            srv.setup()
            demo = seed(srv)
            decide_some(demo)
            runner = TaskRunner()
            ctx = AppContext.open(tmp / "app-rev1")
            window = MainWindow(ctx, runner)
            window.resize(1440, 900)
            window.show()
            ctl = attach(window)
            ctl.login(srv.url, "rev1", PASSWORD)
            wait(lambda: ctl.workspace is not None)
            ws = ctl.workspace
            wait(lambda: not ws.busy and ws.inbox.batch_model.rowCount() == 2 and ws.dashboard.dash_model.rowCount() > 0)
            ws.reload_button.setFocus()

            def shot(name: str) -> None:
                wait(lambda: not ws.busy)
                app.processEvents()
                path = out_dir / f"review-{name}.png"
                window.grab().save(str(path))
                written.append(path)

            def select(key: str, programme: str = "PKH") -> None:
                tab = ws.proposals
                r = tab.proposal_model.row_of_key(demo.proposal(key, programme))
                tab._select_proxy_row(tab.proposal_proxy.mapFromSource(tab.proposal_model.index(r, 0)).row())

            ws.tabs.setCurrentIndex(TAB_INBOX)
            for c in range(ws.inbox.batch_model.columnCount()):
                ws.inbox.inbox_view.resizeColumnToContents(c)
            shot("inbox")
            a_batch = next(b for b in ws.inbox.batch_model.rows() if b.desa_code == DESA_A)
            ws.open_batch(a_batch)
            wait(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() > 0)
            ws.tabs.setCurrentIndex(TAB_PROPOSALS)
            for c in range(ws.proposals.proposal_model.columnCount()):
                ws.proposals.proposal_table.resizeColumnToContents(c)
            select("a1")
            shot("proposal-family")
            select("a3", "PBI-JK")
            shot("proposal-flags")
            ws.tabs.setCurrentIndex(TAB_DUPLICATES)
            nik = next((g for g in ws.duplicates.group_model.rows() if g.kind == "nik"), None)
            if nik is not None:
                ws.duplicates.select_group(nik.group_id)
            shot("duplicate-group")
            ws.tabs.setCurrentIndex(TAB_DASHBOARD)
            shot("dashboard")
            # History: the village fixes the returned a21 and resends it; the reviewer approves the fix
            # and opens the Riwayat tab (sent, returned, changed by the village, approved).
            fam = demo.families["a21"]
            housing = {**fam.household["housing"], "roof_material": "genteng"}
            fam.household = {**fam.household, "housing": housing}
            from tests.support.serverdata import op

            send(srv, "op1", demo.devices["op1"], [
                op(fam.household_id, fam.household, base_version=1, local_rev=2, record_type="household"),
                fam.proposal_op("PKH", base_version=1, note="Atap sudah diperbaiki, foto terlampir")])
            ws.reload()
            wait(lambda: not ws.busy and ws.inbox.batch_model.rowCount() >= 3)
            ws.open_batch(max((b for b in ws.inbox.batch_model.rows() if b.desa_code == DESA_A),
                              key=lambda b: b.received_at or 0))
            wait(lambda: not ws.busy and ws.proposals.proposal_model.rowCount() > 0)
            ws.tabs.setCurrentIndex(TAB_PROPOSALS)
            select("a21")
            ws.proposals.decide([ws.proposals.current_proposal()], "approve")
            rid = demo.proposal("a21")
            wait(lambda: not ws.busy and ws.proposals.proposal_model.row_at(
                ws.proposals.proposal_model.row_of_key(rid)).review_state == "APPROVED")
            select("a21")
            ws.proposals.proposal_table.setFocus()
            ws.proposals.toggle_history()
            wait(lambda: not ws.busy and ws.proposals.history_panel.record_id == rid
                 and ws.proposals.history_panel.model.rowCount() >= 4)
            wait(lambda: not ws._refresh_timer.isActive() and not ws.busy, timeout=10)
            shot("history")
            window.close()
            runner.shutdown()
            ctx.close()
        finally:
            srv.kill()
    return written


if __name__ == "__main__":
    for p in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(p)
