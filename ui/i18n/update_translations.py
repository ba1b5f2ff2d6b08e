"""Refresh ui/i18n/bansos_id.ts from the source and compile bansos_id.qm.

    python ui/i18n/update_translations.py

1. `pyside6-lupdate` collects every tr()/translate() string of ui/ (recursively, so the sync and
   review parts are included) into bansos_id.ts, keeping translations already there.
2. Strings still unfinished get their Indonesian text from ID below (by context + source, or by
   source alone), and Qt's own strings (standard buttons, line-edit context menu, scroll bar
   menu) are added: Qt ships no Indonesian translation.
3. `pyside6-lrelease` compiles bansos_id.qm. tests/unit/ui/test_i18n.py fails on any string left
   untranslated.

Other parts may also translate directly in the .ts (Qt Linguist); step 2 never overwrites a
finished translation.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
UI = HERE.parent
ROOT = UI.parent
TS = HERE / "bansos_id.ts"
QM = HERE / "bansos_id.qm"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
from qt_dialog_strings import DIALOG_STRINGS  # noqa: E402

# Qt's own strings (contexts as in Qt 6's sources).
QT_STRINGS: dict[str, dict[str, str]] = {
    "QPlatformTheme": {
        "OK": "OK", "Save": "Simpan", "Save All": "Simpan Semua", "Open": "Buka", "&Yes": "&Ya",
        "Yes to &All": "Ya untuk &Semua", "&No": "&Tidak", "N&o to All": "T&idak untuk Semua",
        "Abort": "Batalkan", "Retry": "Coba Lagi", "Ignore": "Abaikan", "Close": "Tutup", "Cancel": "Batal",
        "Discard": "Buang", "Help": "Bantuan", "Apply": "Terapkan", "Reset": "Atur Ulang",
        "Restore Defaults": "Kembalikan Bawaan", "Don't Save": "Jangan Simpan",
        "Close without Saving": "Tutup tanpa Menyimpan",
    },
    "QLineEdit": {
        "&Undo": "&Urungkan", "&Redo": "Ula&ngi", "Cu&t": "Po&tong", "&Copy": "&Salin", "&Paste": "T&empel",
        "Delete": "Hapus", "Select All": "Pilih Semua",
    },
    "QWidgetTextControl": {
        "&Undo": "&Urungkan", "&Redo": "Ula&ngi", "Cu&t": "Po&tong", "&Copy": "&Salin",
        "Copy &Link Location": "Salin Alamat &Tautan", "&Paste": "T&empel", "Delete": "Hapus",
        "Select All": "Pilih Semua",
    },
    "QScrollBar": {
        "Scroll here": "Gulir ke sini", "Left edge": "Tepi kiri", "Top": "Atas", "Right edge": "Tepi kanan",
        "Bottom": "Bawah", "Page left": "Halaman kiri", "Page up": "Halaman atas", "Page right": "Halaman kanan",
        "Page down": "Halaman bawah", "Scroll left": "Gulir kiri", "Scroll up": "Gulir ke atas",
        "Scroll right": "Gulir kanan", "Scroll down": "Gulir ke bawah",
    },
    "QMessageBox": {
        "Show Details...": "Tampilkan Rincian...", "Hide Details...": "Sembunyikan Rincian...",
    },
}

# The app's strings: English source -> Indonesian. A "Context|source" key wins over "source".
ID: dict[str, str] = {
    # sync by file (main window, Sinkronisasi menu)
    "Send by &file…": "&Kirim lewat berkas…",
    "Read the &reply file…": "Baca &balasan berkas…",
    "Send by file": "Kirim lewat berkas",
    "Read the reply file": "Baca balasan berkas",
    "Bansos Desa sync files (*.bansos)": "Berkas sinkronisasi Bansos Desa (*.bansos)",
    "Sent to {path}: {b} batches, {n} records. Take the file to the kecamatan/dinas.":
        "Terkirim ke {path}: {b} batch, {n} entri. Bawa berkas ini ke kecamatan/dinas.",
    "Reply applied: {a} accepted, {c} in conflict, {i} refused, {p} updates from the server.":
        "Balasan diterapkan: {a} diterima, {c} konflik, {i} ditolak, {p} pembaruan dari server.",
    # duplicate panel
    "Possible duplicates": "Kemungkinan duplikat",
    "No matching members.": "Tidak ada anggota keluarga yang cocok.",
    "Same NIK": "NIK sama",
    "Same KK, same programme": "KK sama, program sama",
    "Probably the same person ({score:.0f}%)": "Mungkin orang yang sama ({score:.0f}%)",
    "Recipient list": "Daftar penerima",
    "blocks saving": "tidak bisa disimpan",
    "warning": "peringatan",
    "Click or press Enter to open this member.": "Klik atau tekan Enter untuk membuka data anggota ini.",
    "Possible duplicates ({n})": "Kemungkinan duplikat ({n})",
    "{n} match(es) block saving.": "{n} kecocokan membuat data anggota ini tidak bisa disimpan.",
    "Check these members before saving.": "Periksa data anggota ini sebelum menyimpan.",
    # entry form
    "16 digits, from the KTP": "16 digit, sesuai KTP",
    "16 digits, from the family card": "16 digit, sesuai Kartu Keluarga",
    "As written on the KTP": "Sesuai tulisan di KTP",
    "dd-mm-yyyy": "hh-bb-tttt",
    "— choose —": "— pilih —",
    "L — male": "L — Laki-laki",
    "P — female": "P — Perempuan",
    "Street, house number": "Jalan, nomor rumah",
    "e.g. -2.7412": "mis. -2.7412",
    "e.g. 107.6350": "mis. 107.6350",
    "Identity": "Identitas",
    "&NIK:": "&NIK:",
    "No. &KK:": "No. &KK:",
    "N&ame:": "N&ama:",
    "&Birth place:": "&Tempat lahir:",
    "Birth &date:": "Tanggal &lahir:",
    "Se&x:": "&Jenis kelamin:",
    "Address": "Alamat",
    "D&usun:": "&Dusun:",
    "R&W:": "R&W:",
    "&RT:": "&RT:",
    "A&ddress:": "Ala&mat:",
    "&Phone:": "Nomor &HP:",
    "Programme and criteria": "Program dan kriteria",
    "Pro&gramme:": "&Program:",
    "&Criteria:": "Kr&iteria:",
    "Arrow keys to move, Space to tick.": "Panah untuk berpindah, Spasi untuk mencentang.",
    "N&otes:": "&Catatan:",
    "Coordinates (optional):": "Koordinat (opsional):",
    "Checks": "Pemeriksaan",
    "&Save (Enter)": "&Simpan (Enter)",
    "Save, next &member of this KK (Shift+Enter)": "Simpan + an&ggota KK berikutnya (Shift+Enter)",
    "Cancel (Esc)": "Batal (Esc)",
    "Next member of KK {kk}": "Anggota berikutnya dari KK {kk}",
    "Conflict with the server's copy: settle it from the Sync menu (Conflicts).":
        "Berbeda dengan data di server: selesaikan lewat menu Sinkronisasi (Konflik).",
    "Rejected by the kecamatan: {reason}.": "Ditolak kecamatan: {reason}.",
    "Note: {note}": "Catatan: {note}",
    "Saving a correction sends it for review again.": "Menyimpan perbaikan mengirimnya untuk diverifikasi lagi.",
    "Returned for revision: {note}": "Dikembalikan untuk perbaikan: {note}",
    "Approved by the kecamatan. Saving a change sends it for review again.":
        "Disetujui kecamatan. Menyimpan perubahan akan mengirimnya untuk diverifikasi lagi.",
    "Kec. {name}": "Kec. {name}",
    "male": "laki-laki",
    "female": "perempuan",
    "{sex}, born {date}": "{sex}, lahir {date}",
    "recorded {date}": "dicatat {date}",
    "{n}/16 digits": "{n}/16 digit",
    "Not saved: {msg}": "Belum disimpan: {msg}",
    "Saved: {name}.": "Tersimpan: {name}.",
    "No changes to save for {name}.": "Tidak ada perubahan untuk disimpan pada {name}.",
    "Probable duplicate": "Kemungkinan duplikat",
    "Discard what you typed in this form?": "Buang semua yang sudah diketik di formulir ini?",
    "No problems found so far.": "Belum ada masalah yang ditemukan.",
    # entry list
    "Search NIK, name or KK number (Ctrl+F)": "Cari NIK, nama, atau No. KK (Ctrl+F)",
    "All statuses": "Semua status",
    "All programmes": "Semua program",
    "All criteria": "Semua kriteria",
    "All dusun": "Semua dusun",
    "&Edit (Enter)": "Uba&h (Enter)",
    "De&lete… (Del)": "Ha&pus… (Del)",
    "Deleted: {who}.": "Dihapus: {who}.",
    # table and entry view
    "NIK": "NIK",
    "Name": "Nama",
    "No. KK": "No. KK",
    "Born": "Lahir",
    "Sex": "L/P",
    "Programme": "Program",
    "Dusun": "Dusun",
    "RT/RW": "RT/RW",
    "Criteria": "Kriteria",
    "Sending": "Status kirim",
    "Verification": "Status verifikasi",
    "Deleted": "Dihapus",
    "yes: {reason}": "ya: {reason}",
    "no": "tidak",
    # errors
    "Something went wrong that the application did not expect. What was already saved is safe.\n\n"
    "The technical details were written to:\n{path}\n\nPlease give this file to the IT officer.":
        "Terjadi kesalahan yang tidak terduga. Data yang sudah tersimpan tetap aman.\n\n"
        "Rincian teknis dicatat di berkas:\n{path}\n\nMohon serahkan berkas ini kepada petugas IT.",
    "Unexpected error": "Kesalahan tak terduga",
    "Error": "Kesalahan",
    "Attention": "Perhatian",
    # first run
    "Choose your desa": "Pilih desa Anda",
    "Choose the desa/kelurahan this computer records for, and type your name. Type part of the desa name to "
    "search, or open the tree.":
        "Pilih desa/kelurahan yang didata dari komputer ini, lalu ketik nama Anda. Ketik sebagian nama desa "
        "untuk mencari, atau buka pohon wilayah.",
    "Search desa/kelurahan, e.g. Buluh Tumbang": "Cari desa/kelurahan, mis. Buluh Tumbang",
    "No desa chosen yet.": "Belum ada desa yang dipilih.",
    "Full name of the operator": "Nama lengkap operator",
    "Chosen desa:": "Desa terpilih:",
    "&Operator name:": "Nama &operator:",
    "Preparing the desa search…": "Menyiapkan pencarian desa…",
    "No desa/kelurahan matches \"{text}\".": "Tidak ada desa/kelurahan yang cocok dengan \"{text}\".",
    "{n} found. Down arrow to choose, Enter to confirm.":
        "{n} ditemukan. Panah bawah untuk memilih, Enter untuk memastikan.",
    "Region": "Wilayah",
    "&Import provisioning file…": "&Impor file provisioning…",
    "The file from the IT officer (bansos-provision-….json) sets the desa and the server of this computer.":
        "File dari petugas IT (bansos-provision-….json) menetapkan desa dan server untuk komputer ini.",
    "Did the IT officer give you a provisioning file?": "Ada file provisioning dari petugas IT?",
    "Import provisioning file": "Impor file provisioning",
    "Provisioning file (*.json);;All files (*)": "File provisioning (*.json);;Semua file (*)",
    "Reading {file}…": "Membaca {file}…",
    "Provisioning file imported.": "File provisioning berhasil diimpor.",
    "The desa of this computer comes from the provisioning file. Type your name and press Enter.":
        "Desa komputer ini ditetapkan oleh file provisioning. Ketik nama Anda lalu tekan Enter.",
    "The file could not be imported because of a program error; the details are in the log.":
        "File tidak bisa diimpor karena kesalahan program; rinciannya ada di log.",
    "Not imported: {reason}": "Belum diimpor: {reason}",
    # main window
    "&File": "&Berkas",
    "S&ynchronisation": "Sinkr&onisasi",
    "&Help": "Bant&uan",
    "Save and add the next &member of this KK\tCtrl+Shift+S":
        "Simpan dan tambah &anggota KK berikutnya\tCtrl+Shift+S",
    "&Quit": "&Keluar",
    "Go to the &form": "Ke &formulir",
    "Go to the &list": "Ke &daftar",
    "&Search the list": "&Cari di daftar",
    "(Synchronisation is not set up on this computer)": "(Sinkronisasi belum diatur di komputer ini)",
    "&Keyboard shortcuts": "&Pintasan keyboard",
    "&About Bansos Desa": "&Tentang Bansos Desa",
    "The form has changes that are not saved. Discard them?":
        "Formulir berisi perubahan yang belum disimpan. Buang perubahan itu?",
    "no desa chosen": "desa belum dipilih",
    "Bansos Desa — {where} — operator: {who}": "Bansos Desa — {where} — petugas: {who}",
    "Keyboard shortcuts": "Pintasan keyboard",
    "About Bansos Desa": "Tentang Bansos Desa",
    "Bansos Desa: registration of social-assistance candidates for the village.\n{version}\nData folder: {folder}":
        "Bansos Desa: pendataan calon penerima bantuan sosial desa.\n{version}\nFolder data: {folder}",
    "The daily backup could not be made; details are in the log.":
        "Cadangan harian tidak bisa dibuat; rinciannya ada di log.",
    # reason dialog
    "Write the reason here (required).": "Tulis alasannya di sini (wajib).",
    "Ctrl+Enter to confirm, Esc to go back.": "Ctrl+Enter untuk memastikan, Esc untuk kembali.",
    # review: the entry's details and history (Riwayat)
    "Details": "Rincian",
    "History (H)": "Riwayat (H)",
    "Time, by": "Waktu, oleh",
    "Action, reason / note": "Tindakan, alasan / catatan",
    "Changes": "Perubahan",
    "village ({operator})": "desa ({operator})",
    "village": "desa",
    "Loading the history of {name}…": "Memuat riwayat {name}…",
    "History of {name}: {n} events, newest first.": "Riwayat {name}: {n} kejadian, terbaru di atas.",
    "No history yet for {name}.": "Belum ada riwayat untuk {name}.",
    "The history could not be loaded: {reason}": "Riwayat tidak bisa dimuat: {reason}",
    # household screen, member form, proposal dialog, the three lists (issue 12)
    "KK not issued yet": "KK belum terbit",
    "Desa:": "Desa:",
    "Du&sun:": "Du&sun:",
    "RT:": "RT:",
    "RW:": "RW:",
    "Addr&ess:": "Alama&t:",
    "Phone:": "No. HP:",
    "m², e.g. 36": "m², mis. 36",
    "Floor area (m²):": "Luas lantai (m²):",
    "Family card and address": "Kartu keluarga dan alamat",
    "&House and assets": "&Rumah dan aset",
    "NIK / temporary no.": "NIK / no. sementara",
    "Relation": "Hubungan",
    "&Anggota keluarga (Enter: edit, Ctrl+U: proposal):": "&Anggota keluarga (Enter: ubah, Ctrl+U: usulan):",
    "Proposals of this family": "Usulan keluarga ini",
    "&Save member (Enter)": "Simpan anggota (Enter)",
    "New &proposal (Ctrl+U)": "Usulan baru (Ctrl+U)",
    "New family": "Keluarga baru",
    "The family cannot be opened: it was deleted.": "Keluarga tidak bisa dibuka: datanya sudah dihapus.",
    "Family KK {kk}": "Keluarga KK {kk}",
    "(not issued yet)": "(belum terbit)",
    "The server refused this family's data. Fix the fields and save to send it again.":
        "Server menolak data keluarga ini. Perbaiki isiannya lalu simpan untuk mengirim ulang.",
    "family, pengurus {name}": "keluarga, pengurus {name}",
    "Family saved. Now enter its members.": "Keluarga tersimpan. Sekarang isi anggotanya.",
    "Saved: {name}. Next member of this family.": "Tersimpan: {name}. Lanjut anggota berikutnya dari keluarga ini.",
    "This person looks like a member who is already registered. Save only if it is a different person, and "
    "write why (for example: twins, different parents). The reason is kept in the audit log.":
        "Orang ini mirip dengan anggota yang sudah terdaftar. Simpan hanya jika memang orang yang berbeda, dan "
        "tuliskan alasannya (misalnya: kembar, orang tua berbeda). Alasan disimpan di jejak audit.",
    "Save the family first (Enter), then make its proposals.":
        "Simpan keluarganya dulu (Enter), baru buat usulannya.",
    "Discard changes": "Buang isian",
    "&Data": "&Data",
    "&New family": "Keluarga &baru",
    "&Save the member and start the next one\tEnter": "&Simpan anggota dan lanjut ke berikutnya\tEnter",
    "New &proposal for the family or the selected member\tCtrl+U":
        "&Usulan baru untuk keluarga atau anggota terpilih\tCtrl+U",
    "Go to the &family": "Ke &keluarga",
    "&Open the selected row": "&Buka baris terpilih",
    "&Delete the selected row…": "&Hapus baris terpilih…",
    "The family or member form has changes that are not saved. Discard them?":
        "Isian keluarga atau anggota belum disimpan. Buang isian itu?",
    "Delete": "Hapus",
    "Why is this deleted? The reason is kept in the audit log.":
        "Mengapa data ini dihapus? Alasannya disimpan di jejak audit.",
    "Deleted.": "Dihapus.",
    "{h} families · {m} members · {p} proposals · {w} not sent yet":
        "{h} keluarga · {m} anggota · {p} usulan · {w} belum dikirim",
    "<b>Family screen (F2)</b><br>Enter in the KK or address: save the family, go to its first member<br>"
    "Enter in the member form: save the member and start the next one of the same family<br>"
    "Ctrl+T: the person has no NIK yet (temporary number)<br>"
    "Alt+A: the member table (Enter there: edit that member)<br>"
    "Ctrl+U: new proposal (on the member selected in the table, else on the family)<br>"
    "Esc: drop the member being typed · Ctrl+Tab: house and assets<br><br>"
    "<b>List (F3)</b><br>Ctrl+1 / Ctrl+2 / Ctrl+3: families / members / proposals · Ctrl+F: search<br>"
    "Enter: open the family · Ctrl+Del: delete the selected row (with a reason)<br><br>"
    "<b>Other</b><br>Ctrl+N: new family · Ctrl+Q: quit":
        "<b>Layar keluarga (F2)</b><br>Enter di No. KK atau alamat: simpan keluarga, lanjut ke anggota "
        "pertama<br>Enter di isian anggota: simpan anggota dan mulai anggota berikutnya dari keluarga yang "
        "sama<br>Ctrl+T: orang ini belum punya NIK (nomor sementara)<br>Alt+A: tabel anggota (Enter di sana: "
        "ubah anggota itu)<br>Ctrl+U: usulan baru (untuk anggota terpilih di tabel, selain itu untuk "
        "keluarga)<br>Esc: buang anggota yang sedang diketik · Ctrl+Tab: rumah dan aset<br><br><b>Daftar "
        "(F3)</b><br>Ctrl+1 / Ctrl+2 / Ctrl+3: keluarga / anggota / usulan · Ctrl+F: cari<br>Enter: buka "
        "keluarganya · Ctrl+Del: hapus baris terpilih (dengan alasan)<br><br><b>Lainnya</b><br>Ctrl+N: "
        "keluarga baru · Ctrl+Q: keluar",
    "New member": "Anggota baru",
    "16 digits, from the KTP or KK": "16 digit, sesuai KTP atau KK",
    "No NIK yet: give a temporary number (Ctrl+T)": "Belum punya NIK: beri nomor sementara (Ctrl+T)",
    "As written on the KK": "Sesuai tulisan di KK",
    "dd-mm-yyyy or 17/8/85": "hh-bb-tttt atau 17/8/85",
    "Full na&me:": "Na&ma lengkap:",
    "Birth &place:": "T&empat lahir:",
    "&Relation:": "&Hubungan (SHDK):",
    "Marital stat&us:": "Status perkaw&inan:",
    "Educat&ion:": "Ija&zah tertinggi:",
    "&Occupation:": "&Pekerjaan utama:",
    "Disabilit&y (Space):": "Kesulitan &fungsional (Spasi):",
    "PPKS:": "PPKS:",
    "Criteria:": "Kriteria:",
    "Notes:": "Catatan:",
    "Edit member: {name}": "Ubah anggota: {name}",
    "Temporary number: replace it with the NIK once it is issued.":
        "Nomor sementara: ganti dengan NIK begitu NIK terbit.",
    "Family (F2)": "Keluarga (F2)",
    "List (F3)": "Daftar (F3)",
    "New proposal": "Usulan baru",
    "The family (KK {kk})": "Keluarga (KK {kk})",
    "Member: {name}": "Anggota: {name}",
    "&Target:": "&Sasaran:",
    "&Programme:": "&Program:",
    "P&engurus (receives the aid):": "Pe&ngurus (penerima bantuan):",
    "T&ype:": "&Jenis usulan:",
    "&Removal reason:": "&Alasan penghapusan:",
    "&Note:": "&Catatan:",
    "Only the programmes that fit the target are offered. Enter saves, Esc closes.":
        "Hanya program yang sesuai sasarannya yang ditawarkan. Enter menyimpan, Esc menutup.",
    "Proposal saved.": "Usulan tersimpan.",
    "Families (Ctrl+1)": "Keluarga (Ctrl+1)",
    "Members (Ctrl+2)": "Anggota (Ctrl+2)",
    "Proposals (Ctrl+3)": "Usulan (Ctrl+3)",
    "Search: NIK, KK or name (Ctrl+F)": "Cari: NIK, No. KK, atau nama (Ctrl+F)",
    "Any sending state": "Semua status kirim",
    "Show deleted": "Tampilkan yang dihapus",
    "Head of family": "Kepala keluarga",
    "Members": "Anggota",
    "Type": "Jenis",
    "Target / pengurus": "Sasaran / pengurus",
    "Review": "Verifikasi",
    "families": "keluarga",
    "members": "anggota",
    "proposals": "usulan",
    "{total} {noun}": "{total} {noun}",
    "{shown} of {total} {noun} shown": "{shown} dari {total} {noun} ditampilkan",
}


def _lupdate() -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py") if "i18n" not in p.parts)
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(TS)], cwd=ROOT, check=True)


def _message(ctx: ET.Element, source: str) -> ET.Element:
    for m in ctx.iter("message"):
        src = m.find("source")
        if src is not None and src.text == source:
            return m
    m = ET.SubElement(ctx, "message")
    ET.SubElement(m, "source").text = source
    ET.SubElement(m, "translation", {"type": "unfinished"})
    return m


def _set(m: ET.Element, text: str) -> None:
    tr = m.find("translation")
    if tr is None:
        tr = ET.SubElement(m, "translation")
    if tr.get("type") in ("unfinished", None) and (tr.get("type") == "unfinished" or not tr.text):
        tr.text = text
        tr.attrib.pop("type", None)


def fill() -> list[str]:
    """Fill unfinished translations; returns the sources still missing one."""
    tree = ET.parse(TS)
    root = tree.getroot()
    root.set("language", "id_ID")
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for name, strings in {**QT_STRINGS, **DIALOG_STRINGS}.items():
        ctx = contexts.get(name)
        if ctx is None:
            ctx = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = name
            contexts[name] = ctx
        for src, text in strings.items():
            _set(_message(ctx, src), text)
    missing = []
    for name, ctx in contexts.items():
        for m in ctx.iter("message"):
            src = m.findtext("source") or ""
            tr = m.find("translation")
            if tr is not None and tr.get("type") != "unfinished" and tr.text:
                continue
            text = ID.get(f"{name}|{src}", ID.get(src))
            if text is None:
                missing.append(f"{name}: {src!r}")
            else:
                _set(m, text)
    ET.indent(tree)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    _lupdate()
    missing = fill()
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], cwd=ROOT, check=True)
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
