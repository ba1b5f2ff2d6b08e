"""Render the first page of each printed document to docs/screenshots/print-<kind>.png.

    python3 tools/print_screenshots.py

Prints the demo desa (tests.support.household_seed) to PDF through the same service as `bansos print`, then
rasterises page 1 with pdftoppm (poppler-utils). The decision list uses the demo entries as the
reviewer would see them in one batch.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QGuiApplication

from desktop_app.context import AppContext
from desktop_app.printing import service
from desktop_app.printing.model import Meeting
from desktop_app.printing.source import decision_batch
from desktop_app.review.views import proposal_view
from tests.support.household_seed import seed_households
from tests.support.review_families import family, wire_proposal
from tests.support.seed import STATES, demo_rows

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
ON = date(2025, 7, 20)  # a fixed printing date: the images do not change from one run to the next


def demo_batch() -> object:
    states = {i: (review, code, note) for i, _sync, review, code, note in STATES}
    views = []
    for i, row in enumerate(demo_rows()[:12]):
        review, code, note = states.get(i, ("PENDING", None, None))
        fam = family(str(row["desa_code"]), i + 1, size=1, head_name=str(row["name"]), head_nik=str(row["nik"]),
                     kk=str(row["kk"]), programmes=(str(row["programme"]),))
        views.append(proposal_view(wire_proposal(fam, str(row["programme"]), review_state=str(review),
                                                 review_reason_code=code, review_note=note,
                                                 desa_name="Buluh Tumbang", batch_id="3f6c2a1e-batch")))
    return decision_batch("3f6c2a1e-batch", views, reviewer="tksk.tanjungpandan")


def main() -> int:
    QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    meeting = Meeting(date(2025, 7, 14), "Balai Desa Buluh Tumbang", "Suhardi", "Nur Hasanah", "H. Abdullah", 42,
                      "09.00")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        seed_households(data, per_person=True, with_states=True)
        with AppContext.open(data) as ctx:
            kk = str(demo_rows()[0]["kk"])
            jobs = {
                "deliberation": service.PrintRequest("deliberation", printed_on=ON),
                "minutes": service.PrintRequest("minutes", meeting=meeting, printed_on=ON),
                "announcement": service.PrintRequest("announcement", printed_on=ON),
                "household": service.PrintRequest("household", kk=kk, printed_on=ON),
                "decisions": service.PrintRequest("decisions", batch_id="3f6c2a1e-batch", printed_on=ON),
            }
            for kind, req in jobs.items():
                pdf = Path(tmp) / f"{kind}.pdf"
                extra = {"decisions": demo_batch()} if kind == "decisions" else {}
                res = service.print_pdf(ctx, req, pdf, **extra)  # type: ignore[arg-type]
                stem = OUT / f"print-{kind}"
                subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                               check=True)
                print(f"{stem}.png  ({res.pages} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
