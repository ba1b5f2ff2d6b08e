"""Indonesian for Qt's own file and print dialogs (Qt ships no Indonesian translation; on Windows the
system's own dialogs speak the system's language).

Collected from Qt 6.11's widgets by recording every translate() call while the dialogs open
(context -> source -> Indonesian). update_translations.py merges these into bansos_id.ts.
"""

from __future__ import annotations

DIALOG_STRINGS: dict[str, dict[str, str]] = {
    "QFileDialog": {
        "&Delete": "&Hapus", "&Look in:": "&Lihat di:", "Look in:": "Lihat di:", "&New Folder": "&Folder Baru",
        "&Open": "&Buka", "&Rename": "&Ganti Nama", "&Save": "&Simpan", "All Files (*)": "Semua Berkas (*)",
        "Back": "Kembali", "Change to detail view mode": "Tampilan rinci", "Change to list view mode": "Tampilan daftar",
        "Create New Folder": "Buat Folder Baru", "Create a New Folder": "Buat Folder Baru", "Detail View": "Tampilan Rinci",
        "File &name:": "&Nama berkas:", "Files": "Berkas", "Files of &type:": "&Jenis berkas:", "Forward": "Maju",
        "Go back": "Kembali", "Go forward": "Maju", "Go to the parent directory": "Ke folder induk",
        "List View": "Tampilan Daftar", "List of places and bookmarks": "Daftar tempat dan penanda",
        "Parent Directory": "Folder Induk", "Show ": "Tampilkan ", "Show &hidden files": "Tampilkan berkas &tersembunyi",
        "Sidebar": "Panel samping", "Open": "Buka", "Save As": "Simpan Sebagai", "Save": "Simpan", "Cancel": "Batal",
        "Find Directory": "Cari Folder", "Directories": "Folder", "Directory:": "Folder:", "New Folder": "Folder Baru",
        "Are you sure you want to delete '%1'?": "Yakin ingin menghapus '%1'?",
        "%1 already exists.\nDo you want to replace it?": "%1 sudah ada.\nGanti dengan yang baru?",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\nBerkas tidak ditemukan.\nPeriksa kembali nama berkasnya.",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\nFolder tidak ditemukan.\nPeriksa kembali nama foldernya.",
        "Recent Places": "Tempat Terakhir", "My Computer": "Komputer Saya", "Computer": "Komputer",
    },
    "QFileSystemModel": {
        "Computer": "Komputer", "Date Modified": "Tanggal Diubah", "Name": "Nama", "Size": "Ukuran", "Type": "Jenis",
        "Kind": "Jenis", "My Computer": "Komputer Saya",
    },
    "QPageSetupWidget": {
        "Cicero (CC)": "Cicero (CC)", "Custom": "Khusus", "Didot (DD)": "Didot (DD)", "Form": "Formulir",
        "Height:": "Tinggi:", "Inches (in)": "Inci (in)", "Landscape": "Mendatar", "Margins": "Margin",
        "Millimeters (mm)": "Milimeter (mm)", "Orientation": "Orientasi", "Page &order:": "&Urutan halaman:",
        "Page Layout": "Tata Letak Halaman", "Page size:": "Ukuran kertas:", "Pages &per sheet:": "Halaman &per lembar:",
        "Paper": "Kertas", "Paper source:": "Sumber kertas:", "Pica (P̸)": "Pica (P̸)", "Points (pt)": "Poin (pt)",
        "Portrait": "Tegak", "Reverse landscape": "Mendatar terbalik", "Reverse portrait": "Tegak terbalik",
        "Width:": "Lebar:", "bottom margin": "margin bawah", "left margin": "margin kiri", "mm": "mm",
        "right margin": "margin kanan", "top margin": "margin atas",
    },
    "QPrintDialog": {
        "&Options >>": "&Opsi >>", "&Options <<": "&Opsi <<", "&Print": "&Cetak", "1 (1x1)": "1 (1x1)",
        "16 (4x4)": "16 (4x4)", "2 (2x1)": "2 (2x1)", "4 (2x2)": "4 (2x2)", "6 (2x3)": "6 (2x3)", "9 (3x3)": "9 (3x3)",
        "All Pages": "Semua Halaman", "Bottom to Top, Left to Right": "Bawah ke Atas, Kiri ke Kanan",
        "Bottom to Top, Right to Left": "Bawah ke Atas, Kanan ke Kiri", "Even Pages": "Halaman Genap",
        "Left to Right, Bottom to Top": "Kiri ke Kanan, Bawah ke Atas",
        "Left to Right, Top to Bottom": "Kiri ke Kanan, Atas ke Bawah", "Local file": "Berkas lokal",
        "Odd Pages": "Halaman Ganjil", "Print": "Cetak", "Print to File (PDF)": "Cetak ke Berkas (PDF)",
        "Right to Left, Bottom to Top": "Kanan ke Kiri, Bawah ke Atas",
        "Right to Left, Top to Bottom": "Kanan ke Kiri, Atas ke Bawah",
        "Top to Bottom, Left to Right": "Atas ke Bawah, Kiri ke Kanan",
        "Top to Bottom, Right to Left": "Atas ke Bawah, Kanan ke Kiri", "Write PDF file": "Tulis berkas PDF",
        "Print To File ...": "Cetak ke Berkas ...", "Print range": "Halaman yang dicetak",
    },
    "QPrintPreviewDialog": {
        "First page": "Halaman pertama", "Fit page": "Satu halaman penuh", "Fit width": "Selebar jendela",
        "Landscape": "Mendatar", "Last page": "Halaman terakhir", "Next page": "Halaman berikutnya",
        "Page Setup": "Pengaturan Halaman", "Page setup": "Pengaturan halaman", "Portrait": "Tegak",
        "Previous page": "Halaman sebelumnya", "Print": "Cetak", "Print Preview": "Pratinjau Cetak",
        "Show facing pages": "Tampilkan dua halaman", "Show overview of all pages": "Tampilkan semua halaman",
        "Show single page": "Tampilkan satu halaman", "Zoom in": "Perbesar", "Zoom out": "Perkecil",
        "Export to PDF": "Ekspor ke PDF",
    },
    "QPrintSettingsOutput": {
        "Collate": "Susun", "Color": "Warna", "Color Mode": "Mode Warna", "Copies": "Salinan", "Copies:": "Salinan:",
        "Current Page": "Halaman Ini", "Double Sided Printing": "Cetak Bolak-balik", "Form": "Formulir",
        "Grayscale": "Skala abu-abu", "Long side binding": "Jilid sisi panjang", "Off": "Mati", "Options": "Opsi",
        "Output Settings": "Pengaturan Keluaran", "Page &Set:": "&Kumpulan halaman:", "Pages": "Halaman",
        "Pages from": "Halaman dari", "Print all": "Cetak semua", "Print range": "Halaman yang dicetak",
        "Reverse": "Terbalik", "Selection": "Pilihan", "Short side binding": "Jilid sisi pendek",
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. "
        "E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.":
            "Tulis halaman atau rentang dipisah koma; rentang ditulis dua angka dengan tanda hubung. "
            "Contoh: 3,5-7,9 mencetak halaman 3, 5, 6, 7 dan 9.",
        "to": "sampai",
    },
    "QPrintWidget": {
        "&Name:": "&Nama:", "...": "...", "Form": "Formulir", "Location:": "Lokasi:", "Output &file:": "&Berkas keluaran:",
        "P&roperties": "P&roperti", "Preview": "Pratinjau", "Printer": "Pencetak", "Type:": "Jenis:",
    },
}
