"""The must-show (issue 12): a family of five entered by keyboard only, its proposals, a refused duplicate.

Every key goes to the widget that has the keyboard focus (QApplication.focusWidget), as a real
operator's would; no widget is clicked or filled directly. Keys that carry data (the NIK, a name,
the first letters of a choice) are typed with `Keys.data`; every other key (Tab, Enter, Ctrl+T,
Ctrl+U...) goes through `Keys.key` and is counted. The counts are printed (pytest -s shows them).
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from domain.temp_ids import is_temp_id

KK = "1902011508201234"  # Kec. Tanjungpandan, KK issued 15-08-2020
HEAD_NIK = "1902011203807001"  # man born 12-03-1980
WIFE_NIK = "1902015207857002"  # woman born 12-07-1985 (day + 40)
CHILD1_NIK = "1902010102087003"  # boy born 01-02-2008
CHILD2_NIK = "1902014509127004"  # girl born 05-09-2012
TARGET_PER_MEMBER = 12
Key = Qt.Key
Mod = Qt.KeyboardModifier


class Keys:
    """Sends keys to the focused widget and counts the ones that are not data."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.extra = 0

    def focused(self) -> QWidget:
        w = QApplication.focusWidget()
        assert w is not None, "nothing has the keyboard focus"
        return w

    def data(self, text: str) -> None:
        QTest.keyClicks(self.focused(), text)

    def key(self, key: Key, mod: Mod = Mod.NoModifier) -> None:
        self.extra += 1
        QTest.keyClick(self.focused(), key, mod)

    def tabs(self, n: int) -> None:
        for _ in range(n):
            self.key(Key.Key_Tab)


def _store_rows(window, sql: str, params: tuple = ()) -> list[tuple]:  # type: ignore[no-untyped-def]
    with window.context.engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql(sql, params).fetchall()]


def test_a_family_of_five_by_keyboard_with_its_proposals(window, runner, qtbot, capsys) -> None:  # type: ignore[no-untyped-def]
    w = window
    screen = w.household_screen
    form = screen.member_form
    w.activateWindow()
    qtbot.waitUntil(lambda: screen.kk.hasFocus(), timeout=3000)
    keys = Keys(qtbot)

    # --- the household: KK, dusun, RT, RW, address; Enter saves it and goes to the first member's NIK
    keys.data(KK)
    assert screen.kk_info.text().startswith("✓")  # the KK is read back while typing, as before
    keys.key(Key.Key_Tab)
    keys.data("Air Serkuk")
    keys.key(Key.Key_Tab)
    keys.data("005")
    keys.key(Key.Key_Tab)
    keys.data("002")
    keys.key(Key.Key_Tab)
    keys.data("Jl. Kenari No. 3")
    keys.key(Key.Key_Return)
    qtbot.waitUntil(lambda: screen.household_id is not None and form.nik.hasFocus(), timeout=5000)
    household_keys = keys.extra

    per_member: list[int] = []

    def member(nik: str | None, name: str, place: str, relation: str, marital: str, *, born: str = "",
               sex: str = "") -> None:
        before = keys.extra
        rows = screen.member_table.rowCount()
        if nik is None:
            keys.key(Key.Key_T, Mod.ControlModifier)  # "Belum punya NIK": a temporary number, cursor to the name
            qtbot.waitUntil(lambda: form.name.hasFocus() and is_temp_id(form.nik.text()), timeout=3000)
        else:
            keys.data(nik)
            keys.key(Key.Key_Tab)
        keys.data(name)
        keys.key(Key.Key_Tab)
        keys.data(place)
        keys.key(Key.Key_Tab)
        if born:
            keys.data(born)  # typed as operators write it: 17/8/20
        keys.key(Key.Key_Tab)  # a valid NIK pre-filled the birth date ...
        if sex:
            keys.data(sex)
        keys.key(Key.Key_Tab)  # ... and the sex
        keys.data(relation)
        keys.key(Key.Key_Tab)
        keys.data(marital)
        keys.key(Key.Key_Return)  # save, and the next member of the same family
        qtbot.waitUntil(lambda: screen.member_table.rowCount() == rows + 1 and form.nik.hasFocus()
                        and form.is_empty(), timeout=5000)
        per_member.append(keys.extra - before)

    member(HEAD_NIK, "Darmawan", "Tanjungpandan", "Kepala", "Kawin")
    member(WIFE_NIK, "Nurhayati", "Manggar", "Istri", "Kawin")
    member(CHILD1_NIK, "Rizal Darmawan", "Tanjungpandan", "Anak", "Belum")
    member(CHILD2_NIK, "Putri Darmawan", "Tanjungpandan", "Anak", "Belum")
    member(None, "Aisyah Darmawan", "Tanjungpandan", "Anak", "Belum", born="17/8/20", sex="P")

    # --- PKH on the family: Ctrl+U from the member form; PKH and the wife as pengurus are the defaults
    before = keys.extra
    keys.key(Key.Key_U, Mod.ControlModifier)
    dlg = screen.proposal_dialog
    qtbot.waitUntil(lambda: dlg.isVisible() and dlg.programme.hasFocus(), timeout=3000)
    offered = [dlg.programme.itemData(i) for i in range(dlg.programme.count())]
    assert "PKH" in offered and "PBI-JK" not in offered  # only household programmes for the family
    assert dlg.pengurus.currentText().startswith("Nurhayati")
    keys.key(Key.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible() and screen.proposal_list.count() == 1, timeout=5000)
    pkh_keys = keys.extra - before

    # --- PBI-JK on two children: Alt+A to the member table, arrows, Ctrl+U, Enter
    before = keys.extra
    keys.key(Key.Key_A, Mod.AltModifier)
    assert screen.member_table.hasFocus()
    keys.key(Key.Key_Down)
    keys.key(Key.Key_Down)  # the third row: Rizal
    for expected in ("Rizal Darmawan", "Putri Darmawan"):
        assert screen.member_table.item(screen.member_table.currentRow(), 1).text() == expected
        keys.key(Key.Key_U, Mod.ControlModifier)
        dlg = screen.proposal_dialog
        qtbot.waitUntil(lambda d=dlg: d.isVisible() and d.programme.hasFocus(), timeout=3000)  # type: ignore[misc]
        assert [dlg.programme.itemData(i) for i in range(dlg.programme.count())] == ["PBI-JK"]
        assert not dlg.pengurus.isVisible()
        n = screen.proposal_list.count()
        keys.key(Key.Key_Return)
        qtbot.waitUntil(lambda d=dlg, n=n: not d.isVisible() and screen.proposal_list.count() == n + 1,  # type: ignore[misc]
                        timeout=5000)
        qtbot.waitUntil(lambda: screen.member_table.hasFocus(), timeout=3000)
        if expected.startswith("Rizal"):
            keys.key(Key.Key_Down)
    pbi_keys = keys.extra - before

    # --- a second PKH for the family is refused, in Indonesian, and the dialog stays open to say why
    keys.key(Key.Key_K, Mod.AltModifier)  # back to the household (No. KK)
    assert screen.kk.hasFocus()
    keys.key(Key.Key_U, Mod.ControlModifier)
    dlg = screen.proposal_dialog
    qtbot.waitUntil(lambda: dlg.isVisible() and dlg.programme.hasFocus(), timeout=3000)
    keys.key(Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.error.isVisible(), timeout=5000)
    assert dlg.isVisible()
    assert "sudah punya usulan PKH yang masih terbuka" in dlg.error.text()
    keys.key(Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)

    with capsys.disabled():  # shown in every run's output, not only with -s
        print(f"\nkeystrokes beyond the data: household {household_keys}; members {per_member} "
              f"(after the first: max {max(per_member[1:])}, target <= {TARGET_PER_MEMBER}); "
              f"PKH proposal {pkh_keys}; two PBI-JK proposals {pbi_keys}")
    assert max(per_member[1:]) <= TARGET_PER_MEMBER

    # --- what the store holds (written through the repository: records, ops, audit rows)
    hid = screen.household_id
    members = _store_rows(w, "SELECT name, nik, temp_id, relation, birth_date, sex FROM members "
                             "WHERE household_id = ? ORDER BY created_at", (hid,))
    assert [m[0] for m in members] == ["Darmawan", "Nurhayati", "Rizal Darmawan", "Putri Darmawan", "Aisyah Darmawan"]
    assert [m[3] for m in members] == ["kepala_keluarga", "istri", "anak", "anak", "anak"]
    assert members[4][1] == "" and is_temp_id(members[4][2]) and members[4][4:] == ("2020-08-17", "P")
    assert members[1][4:] == ("1985-07-12", "P")  # pre-filled from the NIK
    ids = dict(_store_rows(w, "SELECT name, record_id FROM members WHERE household_id = ?", (hid,)))
    proposals = _store_rows(w, "SELECT programme, household_id, member_id, pengurus_id, type FROM proposals "
                               "WHERE household_id = ? OR member_id IN (SELECT record_id FROM members "
                               "WHERE household_id = ?) ORDER BY created_at", (hid, hid))
    assert proposals == [("PKH", hid, "", ids["Nurhayati"], "new"),
                         ("PBI-JK", "", ids["Rizal Darmawan"], "", "new"),
                         ("PBI-JK", "", ids["Putri Darmawan"], "", "new")]
    ops = _store_rows(w, "SELECT record_type, count(*) FROM outbox WHERE record_id IN "
                         f"(?, {','.join('?' * 5)}, (SELECT group_concat(record_id) FROM proposals WHERE 0)) "
                         "GROUP BY record_type", (hid, *ids.values()))
    assert dict(ops) == {"household": 1, "member": 5}
    audit = _store_rows(w, "SELECT action, actor FROM auditlog WHERE record_id = ?", (ids["Aisyah Darmawan"],))
    assert audit == [("CREATE", w.context.operator_name)]
    house = json.loads(_store_rows(w, "SELECT assets FROM households WHERE record_id = ?", (hid,))[0][0])
    assert house == []
