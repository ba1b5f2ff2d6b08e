"""Printed documents of the village's month (issue 15): the Musdesus list, its minutes, the public
announcement, a household's summary sheet and the reviewer's per-batch decision list.

- model.py: plain view-model dataclasses (a family with its members and proposals, a decision batch);
- source.py: the one provider that fills them from the local store (swap it when the household model lands);
- documents.py: pure builders, view models -> a layout-neutral `engine.Document`;
- engine.py: Qt's own print support (QPdfWriter / QPrinter + QPainter): pages, kop, tables, footers;
- settings.py: the kop (letterhead) setting; service.py: what the GUI and the CLI call.
"""
