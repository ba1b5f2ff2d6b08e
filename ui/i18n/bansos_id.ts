<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID">
  <context>
    <name>DuplicatePanel</name>
    <message>
      <location filename="../duplicate_panel.py" line="42" />
      <location filename="../duplicate_panel.py" line="79" />
      <source>Possible duplicates</source>
      <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="43" />
      <location filename="../duplicate_panel.py" line="78" />
      <source>No matching entries.</source>
      <translation>Tidak ada entri yang cocok.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="64" />
      <source>Same NIK</source>
      <translation>NIK sama</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="65" />
      <source>Same KK, same programme</source>
      <translation>KK sama, program sama</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="66" />
      <source>Probably the same person ({score:.0f}%)</source>
      <translation>Mungkin orang yang sama ({score:.0f}%)</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="94" />
      <source>The NIK is not valid. Probably meant: this person, already registered (same name and birth date).</source>
      <translation>NIK tidak valid. Mungkin yang dimaksud: orang ini, sudah terdaftar (nama dan tanggal lahir sama).</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="67" />
      <source>Recipient list</source>
      <translation>Daftar penerima</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="69" />
      <source>blocks saving</source>
      <translation>tidak bisa disimpan</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="69" />
      <source>warning</source>
      <translation>peringatan</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="74" />
      <source>Click or press Enter to open this entry.</source>
      <translation>Klik atau tekan Enter untuk membuka entri ini.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="81" />
      <source>Possible duplicates ({n})</source>
      <translation>Kemungkinan duplikat ({n})</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="83" />
      <source>{n} match(es) block saving.</source>
      <translation>{n} kecocokan membuat entri ini tidak bisa disimpan.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="85" />
      <source>Check these entries before saving.</source>
      <translation>Periksa entri-entri ini sebelum menyimpan.</translation>
    </message>
  </context>
  <context>
    <name>EntryForm</name>
    <message>
      <location filename="../entry_form.py" line="114" />
      <source>16 digits, from the KTP</source>
      <translation>16 digit, sesuai KTP</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="116" />
      <source>16 digits, from the family card</source>
      <translation>16 digit, sesuai Kartu Keluarga</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="123" />
      <source>As written on the KTP</source>
      <translation>Sesuai tulisan di KTP</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="125" />
      <source>dd-mm-yyyy</source>
      <translation>hh-bb-tttt</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="128" />
      <source>— choose —</source>
      <translation>— pilih —</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="129" />
      <source>L — male</source>
      <translation>L — Laki-laki</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="130" />
      <source>P — female</source>
      <translation>P — Perempuan</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="140" />
      <source>Street, house number</source>
      <translation>Jalan, nomor rumah</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="159" />
      <source>e.g. -2.7412</source>
      <translation>mis. -2.7412</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="160" />
      <source>e.g. 107.6350</source>
      <translation>mis. 107.6350</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="162" />
      <source>Identity</source>
      <translation>Identitas</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="167" />
      <source>&amp;NIK:</source>
      <translation>&amp;NIK:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="168" />
      <source>No. &amp;KK:</source>
      <translation>No. &amp;KK:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="169" />
      <source>N&amp;ame:</source>
      <translation>N&amp;ama:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="170" />
      <source>&amp;Birth place:</source>
      <translation>&amp;Tempat lahir:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="171" />
      <source>Birth &amp;date:</source>
      <translation>Tanggal &amp;lahir:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="172" />
      <source>Se&amp;x:</source>
      <translation>&amp;Jenis kelamin:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="186" />
      <source>Address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="188" />
      <source>D&amp;usun:</source>
      <translation>&amp;Dusun:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="191" />
      <source>R&amp;W:</source>
      <translation>R&amp;W:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="196" />
      <source>&amp;RT:</source>
      <translation>&amp;RT:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="200" />
      <source>A&amp;ddress:</source>
      <translation>Ala&amp;mat:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="201" />
      <source>&amp;Phone:</source>
      <translation>Nomor &amp;HP:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="203" />
      <source>Programme and criteria</source>
      <translation>Program dan kriteria</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="205" />
      <source>Pro&amp;gramme:</source>
      <translation>&amp;Program:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="208" />
      <source>&amp;Criteria:</source>
      <translation>Kr&amp;iteria:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="211" />
      <source>Arrow keys to move, Space to tick.</source>
      <translation>Panah untuk berpindah, Spasi untuk mencentang.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="214" />
      <source>N&amp;otes:</source>
      <translation>&amp;Catatan:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="220" />
      <source>Coordinates (optional):</source>
      <translation>Koordinat (opsional):</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="247" />
      <source>Checks</source>
      <translation>Pemeriksaan</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="251" />
      <source>&amp;Save (Enter)</source>
      <translation>&amp;Simpan (Enter)</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="253" />
      <source>Save, next &amp;member of this KK (Shift+Enter)</source>
      <translation>Simpan + an&amp;ggota KK berikutnya (Shift+Enter)</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="255" />
      <source>Cancel (Esc)</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="411" />
      <source>New entry</source>
      <translation>Entri baru</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="421" />
      <source>Next member of KK {kk}</source>
      <translation>Anggota berikutnya dari KK {kk}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="430" />
      <source>The entry cannot be opened: it was deleted.</source>
      <translation>Entri tidak bisa dibuka: entri ini sudah dihapus.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="454" />
      <source>Edit entry: {name}</source>
      <translation>Ubah entri: {name}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="469" />
      <source>Conflict with the server's copy: settle it from the Sync menu (Conflicts).</source>
      <translation>Berbeda dengan data di server: selesaikan lewat menu Sinkronisasi (Konflik).</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="471" />
      <source>The server refused this entry. Fix the fields marked below and save to send it again.</source>
      <translation>Server menolak entri ini. Perbaiki kolom yang ditandai di bawah lalu simpan untuk mengirim ulang.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="473" />
      <source>Rejected by the kecamatan: {reason}.</source>
      <translation>Ditolak kecamatan: {reason}.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="475" />
      <source>Note: {note}</source>
      <translation>Catatan: {note}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="476" />
      <source>Saving a correction sends it for review again.</source>
      <translation>Menyimpan perbaikan mengirimnya untuk diverifikasi lagi.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="478" />
      <source>Returned for revision: {note}</source>
      <translation>Dikembalikan untuk perbaikan: {note}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="479" />
      <source>Fix it and save; it will be sent for review again.</source>
      <translation>Perbaiki lalu simpan; entri akan dikirim untuk diverifikasi lagi.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="481" />
      <source>Approved by the kecamatan. Saving a change sends it for review again.</source>
      <translation>Disetujui kecamatan. Menyimpan perubahan akan mengirimnya untuk diverifikasi lagi.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="512" />
      <source>Kec. {name}</source>
      <translation>Kec. {name}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="515" />
      <source>male</source>
      <translation>laki-laki</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="515" />
      <source>female</source>
      <translation>perempuan</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="516" />
      <source>{sex}, born {date}</source>
      <translation>{sex}, lahir {date}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="518" />
      <source>recorded {date}</source>
      <translation>dicatat {date}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="529" />
      <source>{n}/16 digits</source>
      <translation>{n}/16 digit</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="594" />
      <source>No problems found so far.</source>
      <translation>Belum ada masalah yang ditemukan.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="649" />
      <source>Not saved: {msg}</source>
      <translation>Belum disimpan: {msg}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="660" />
      <source>Saved: {name}.</source>
      <translation>Tersimpan: {name}.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="662" />
      <source>No changes to save for {name}.</source>
      <translation>Tidak ada perubahan untuk disimpan pada {name}.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="674" />
      <source>Probable duplicate</source>
      <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="675" />
      <source>This person looks like an entry that already exists. Save only if it is a different person, and write why (for example: twins, different parents). The reason is kept in the audit log.</source>
      <translation>Orang ini mirip dengan entri yang sudah ada. Simpan hanya jika memang orang yang berbeda, dan tuliskan alasannya (misalnya: kembar, orang tua berbeda). Alasan disimpan di jejak audit.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="700" />
      <source>Discard entry</source>
      <translation>Buang isian</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="701" />
      <source>Discard what you typed in this form?</source>
      <translation>Buang semua yang sudah diketik di formulir ini?</translation>
    </message>
  </context>
  <context>
    <name>EntryListView</name>
    <message>
      <location filename="../entry_list.py" line="52" />
      <source>Search NIK, name or KK number (Ctrl+F)</source>
      <translation>Cari NIK, nama, atau No. KK (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="56" />
      <source>All statuses</source>
      <translation>Semua status</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="63" />
      <source>All programmes</source>
      <translation>Semua program</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="68" />
      <source>All criteria</source>
      <translation>Semua kriteria</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="73" />
      <source>All dusun</source>
      <translation>Semua dusun</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="97" />
      <source>&amp;Edit (Enter)</source>
      <translation>Uba&amp;h (Enter)</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="99" />
      <source>De&amp;lete… (Del)</source>
      <translation>Ha&amp;pus… (Del)</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="213" />
      <source>{n} entries</source>
      <translation>{n} entri</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="215" />
      <source>{n}+ entries, counting…</source>
      <translation>{n}+ entri, sedang dihitung…</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="272" />
      <source>Delete entry</source>
      <translation>Hapus entri</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="273" />
      <source>Delete the entry of {who}? The entry is kept in the history with your reason and the deletion is sent to the server.</source>
      <translation>Hapus entri {who}? Entri tetap tersimpan di riwayat beserta alasan Anda, dan penghapusan ini ikut dikirim ke server.</translation>
    </message>
    <message>
      <location filename="../entry_list.py" line="283" />
      <source>Deleted: {who}.</source>
      <translation>Dihapus: {who}.</translation>
    </message>
  </context>
  <context>
    <name>EntryTableModel</name>
    <message>
      <location filename="../entry_list_model.py" line="72" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="73" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="74" />
      <source>No. KK</source>
      <translation>No. KK</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="75" />
      <source>Born</source>
      <translation>Lahir</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="76" />
      <source>Sex</source>
      <translation>L/P</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="77" />
      <source>Programme</source>
      <translation>Program</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="78" />
      <source>Dusun</source>
      <translation>Dusun</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="79" />
      <source>RT/RW</source>
      <translation>RT/RW</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="80" />
      <source>Criteria</source>
      <translation>Kriteria</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="81" />
      <source>Sending</source>
      <translation>Status kirim</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="82" />
      <source>Verification</source>
      <translation>Status verifikasi</translation>
    </message>
  </context>
  <context>
    <name>EntryViewDialog</name>
    <message>
      <location filename="../dialogs.py" line="90" />
      <source>&amp;Edit this entry</source>
      <translation>&amp;Ubah entri ini</translation>
    </message>
  </context>
  <context>
    <name>ErrorDialog</name>
    <message>
      <location filename="../error_dialog.py" line="15" />
      <source>Something went wrong that the application did not expect. What was already saved is safe.

The technical details were written to:
{path}

Please give this file to the IT officer.</source>
      <translation>Terjadi kesalahan yang tidak terduga. Data yang sudah tersimpan tetap aman.

Rincian teknis dicatat di berkas:
{path}

Mohon serahkan berkas ini kepada petugas IT.</translation>
    </message>
    <message>
      <location filename="../error_dialog.py" line="28" />
      <source>Unexpected error</source>
      <translation>Kesalahan tak terduga</translation>
    </message>
    <message>
      <location filename="../error_dialog.py" line="45" />
      <source>Error</source>
      <translation>Kesalahan</translation>
    </message>
    <message>
      <location filename="../error_dialog.py" line="48" />
      <source>Attention</source>
      <translation>Perhatian</translation>
    </message>
  </context>
  <context>
    <name>FirstRunDialog</name>
    <message>
      <location filename="../desa_picker.py" line="113" />
      <source>Choose your desa</source>
      <translation>Pilih desa Anda</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="122" />
      <source>Choose the desa/kelurahan this computer records for, and type your name. Type part of the desa name to search, or open the tree.</source>
      <translation>Pilih desa/kelurahan yang didata dari komputer ini, lalu ketik nama Anda. Ketik sebagian nama desa untuk mencari, atau buka pohon wilayah.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="127" />
      <source>Search desa/kelurahan, e.g. Buluh Tumbang</source>
      <translation>Cari desa/kelurahan, mis. Buluh Tumbang</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="139" />
      <source>No desa chosen yet.</source>
      <translation>Belum ada desa yang dipilih.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="144" />
      <source>Full name of the operator</source>
      <translation>Nama lengkap operator</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="146" />
      <source>&amp;Import provisioning file…</source>
      <translation>&amp;Impor file provisioning…</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="148" />
      <source>The file from the IT officer (bansos-provision-….json) sets the desa and the server of this computer.</source>
      <translation>File dari petugas IT (bansos-provision-….json) menetapkan desa dan server untuk komputer ini.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="167" />
      <source>Chosen desa:</source>
      <translation>Desa terpilih:</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="168" />
      <source>&amp;Operator name:</source>
      <translation>Nama &amp;operator:</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="173" />
      <source>Did the IT officer give you a provisioning file?</source>
      <translation>Ada file provisioning dari petugas IT?</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="206" />
      <source>Preparing the desa search…</source>
      <translation>Menyiapkan pencarian desa…</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="239" />
      <source>No desa/kelurahan matches "{text}".</source>
      <translation>Tidak ada desa/kelurahan yang cocok dengan "{text}".</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="241" />
      <source>{n} found. Down arrow to choose, Enter to confirm.</source>
      <translation>{n} ditemukan. Panah bawah untuk memilih, Enter untuk memastikan.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="285" />
      <source>Import provisioning file</source>
      <translation>Impor file provisioning</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="286" />
      <source>Provisioning file (*.json);;All files (*)</source>
      <translation>File provisioning (*.json);;Semua file (*)</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="301" />
      <source>Reading {file}…</source>
      <translation>Membaca {file}…</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="314" />
      <source>The desa of this computer comes from the provisioning file. Type your name and press Enter.</source>
      <translation>Desa komputer ini ditetapkan oleh file provisioning. Ketik nama Anda lalu tekan Enter.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="316" />
      <source>Provisioning file imported.</source>
      <translation>File provisioning berhasil diimpor.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="328" />
      <source>The file could not be imported because of a program error; the details are in the log.</source>
      <translation>File tidak bisa diimpor karena kesalahan program; rinciannya ada di log.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="329" />
      <source>Not imported: {reason}</source>
      <translation>Belum diimpor: {reason}</translation>
    </message>
  </context>
  <context>
    <name>HistoryModel</name>
    <message>
      <location filename="../review/history.py" line="40" />
      <source>Changes</source>
      <translation>Perubahan</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="40" />
      <source>Time, by</source>
      <translation>Waktu, oleh</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="40" />
      <source>Action, reason / note</source>
      <translation>Tindakan, alasan / catatan</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="56" />
      <source>village ({operator})</source>
      <translation>desa ({operator})</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="56" />
      <source>village</source>
      <translation>desa</translation>
    </message>
  </context>
  <context>
    <name>HistoryPanel</name>
    <message>
      <location filename="../review/history.py" line="123" />
      <source>Choose an entry to see its history.</source>
      <translation>Pilih entri untuk melihat riwayatnya.</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="129" />
      <source>Loading the history of {name}…</source>
      <translation>Memuat riwayat {name}…</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="136" />
      <source>History of {name}: {n} events, newest first.</source>
      <translation>Riwayat {name}: {n} kejadian, terbaru di atas.</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="138" />
      <source>No history yet for {name}.</source>
      <translation>Belum ada riwayat untuk {name}.</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="142" />
      <source>The history could not be loaded: {reason}</source>
      <translation>Riwayat tidak bisa dimuat: {reason}</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../main_window.py" line="136" />
      <source>&amp;File</source>
      <translation>&amp;Berkas</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="137" />
      <source>&amp;Entry</source>
      <translation>&amp;Entri</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="138" />
      <source>S&amp;ynchronisation</source>
      <translation>Sinkr&amp;onisasi</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="139" />
      <source>&amp;Help</source>
      <translation>Bant&amp;uan</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="143" />
      <source>&amp;New entry</source>
      <translation>Entri &amp;baru</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="146" />
      <source>&amp;Save and start a new entry	Ctrl+S</source>
      <translation>&amp;Simpan dan mulai entri baru	Ctrl+S</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="147" />
      <source>Save and add the next &amp;member of this KK	Ctrl+Shift+S</source>
      <translation>Simpan dan tambah &amp;anggota KK berikutnya	Ctrl+Shift+S</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="152" />
      <source>&amp;Quit</source>
      <translation>&amp;Keluar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="154" />
      <source>Go to the &amp;form</source>
      <translation>Ke &amp;formulir</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="155" />
      <source>Go to the &amp;list</source>
      <translation>Ke &amp;daftar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="156" />
      <source>&amp;Search the list</source>
      <translation>&amp;Cari di daftar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="159" />
      <source>&amp;Edit the selected entry</source>
      <translation>&amp;Ubah entri terpilih</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="161" />
      <source>&amp;Delete the selected entry…</source>
      <translation>&amp;Hapus entri terpilih…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="164" />
      <source>(Synchronisation is not set up on this computer)</source>
      <translation>(Sinkronisasi belum diatur di komputer ini)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="168" />
      <source>&amp;Keyboard shortcuts</source>
      <translation>&amp;Pintasan keyboard</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="170" />
      <source>&amp;About Bansos Desa</source>
      <translation>&amp;Tentang Bansos Desa</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="240" />
      <source>The daily backup could not be made; details are in the log.</source>
      <translation>Cadangan harian tidak bisa dibuat; rinciannya ada di log.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="269" />
      <source>Discard entry</source>
      <translation>Buang isian</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="270" />
      <source>The form has changes that are not saved. Discard them?</source>
      <translation>Formulir berisi perubahan yang belum disimpan. Buang perubahan itu?</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="286" />
      <source>The entry no longer exists.</source>
      <translation>Entri ini sudah tidak ada.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="289" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="289" />
      <source>No. KK</source>
      <translation>No. KK</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="289" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="290" />
      <source>Born</source>
      <translation>Lahir</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="291" />
      <source>Sex</source>
      <translation>L/P</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="291" />
      <source>Programme</source>
      <translation>Program</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="292" />
      <source>Address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="293" />
      <source>Sending</source>
      <translation>Status kirim</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="294" />
      <source>Deleted</source>
      <translation>Dihapus</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="294" />
      <source>yes: {reason}</source>
      <translation>ya: {reason}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="294" />
      <source>no</source>
      <translation>tidak</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="296" />
      <source>Existing entry: {name}</source>
      <translation>Entri yang sudah ada: {name}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="321" />
      <source>{total} entries · {waiting} not sent yet</source>
      <translation>{total} entri · {waiting} belum dikirim</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="336" />
      <source>no desa chosen</source>
      <translation>desa belum dipilih</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="341" />
      <source>Bansos Desa — {where} — operator: {who}</source>
      <translation>Bansos Desa — {where} — operator: {who}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="346" />
      <source>&lt;b&gt;Data entry&lt;/b&gt;&lt;br&gt;Enter or Ctrl+S: save and start a new entry&lt;br&gt;Shift+Enter or Ctrl+Shift+S: save and add the next member of the same KK&lt;br&gt;Esc: cancel this entry&lt;br&gt;Tab / Shift+Tab: next / previous field&lt;br&gt;Alt + underlined letter: jump to that field&lt;br&gt;&lt;br&gt;&lt;b&gt;Entry list&lt;/b&gt;&lt;br&gt;F3: go to the list · Ctrl+F: search&lt;br&gt;Enter: edit the selected entry · Del: delete it (with a reason)&lt;br&gt;&lt;br&gt;&lt;b&gt;Other&lt;/b&gt;&lt;br&gt;F2: go to the form · Ctrl+N: new entry · Ctrl+Q: quit</source>
      <translation>&lt;b&gt;Isi data&lt;/b&gt;&lt;br&gt;Enter atau Ctrl+S: simpan dan mulai entri baru&lt;br&gt;Shift+Enter atau Ctrl+Shift+S: simpan dan tambah anggota berikutnya dari KK yang sama&lt;br&gt;Esc: batalkan entri ini&lt;br&gt;Tab / Shift+Tab: isian berikutnya / sebelumnya&lt;br&gt;Alt + huruf bergaris bawah: lompat ke isian itu&lt;br&gt;&lt;br&gt;&lt;b&gt;Daftar entri&lt;/b&gt;&lt;br&gt;F3: ke daftar · Ctrl+F: cari&lt;br&gt;Enter: ubah entri terpilih · Del: hapus (dengan alasan)&lt;br&gt;&lt;br&gt;&lt;b&gt;Lainnya&lt;/b&gt;&lt;br&gt;F2: ke formulir · Ctrl+N: entri baru · Ctrl+Q: keluar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="354" />
      <source>Keyboard shortcuts</source>
      <translation>Pintasan keyboard</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="362" />
      <source>About Bansos Desa</source>
      <translation>Tentang Bansos Desa</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="363" />
      <source>Bansos Desa: registration of social-assistance candidates for the village.
{version}
Data folder: {folder}</source>
      <translation>Bansos Desa: pendataan calon penerima bantuan sosial desa.
{version}
Folder data: {folder}</translation>
    </message>
  </context>
  <context>
    <name>OperatorWorkspace</name>
    <message>
      <location filename="../main_window.py" line="64" />
      <source>Data entry (F2)</source>
      <translation>Isi data (F2)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="65" />
      <source>Entry list (F3)</source>
      <translation>Daftar entri (F3)</translation>
    </message>
  </context>
  <context>
    <name>ReasonDialog</name>
    <message>
      <location filename="../dialogs.py" line="40" />
      <source>Write the reason here (required).</source>
      <translation>Tulis alasannya di sini (wajib).</translation>
    </message>
    <message>
      <location filename="../dialogs.py" line="42" />
      <source>Ctrl+Enter to confirm, Esc to go back.</source>
      <translation>Ctrl+Enter untuk memastikan, Esc untuk kembali.</translation>
    </message>
  </context>
  <context>
    <name>RegionTreeModel</name>
    <message>
      <location filename="../desa_picker.py" line="58" />
      <source>Region</source>
      <translation>Wilayah</translation>
    </message>
  </context>
  <context>
    <name>ReviewWorkspace</name>
    <message>
      <location filename="../review/workspace.py" line="257" />
      <source>Details</source>
      <translation>Rincian</translation>
    </message>
    <message>
      <location filename="../review/workspace.py" line="258" />
      <source>History (H)</source>
      <translation>Riwayat (H)</translation>
    </message>
  </context>
  <context>
    <name>QPlatformTheme</name>
    <message>
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Simpan</translation>
    </message>
    <message>
      <source>Save All</source>
      <translation>Simpan Semua</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>Buka</translation>
    </message>
    <message>
      <source>&amp;Yes</source>
      <translation>&amp;Ya</translation>
    </message>
    <message>
      <source>Yes to &amp;All</source>
      <translation>Ya untuk &amp;Semua</translation>
    </message>
    <message>
      <source>&amp;No</source>
      <translation>&amp;Tidak</translation>
    </message>
    <message>
      <source>N&amp;o to All</source>
      <translation>T&amp;idak untuk Semua</translation>
    </message>
    <message>
      <source>Abort</source>
      <translation>Batalkan</translation>
    </message>
    <message>
      <source>Retry</source>
      <translation>Coba Lagi</translation>
    </message>
    <message>
      <source>Ignore</source>
      <translation>Abaikan</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Tutup</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Batal</translation>
    </message>
    <message>
      <source>Discard</source>
      <translation>Buang</translation>
    </message>
    <message>
      <source>Help</source>
      <translation>Bantuan</translation>
    </message>
    <message>
      <source>Apply</source>
      <translation>Terapkan</translation>
    </message>
    <message>
      <source>Reset</source>
      <translation>Atur Ulang</translation>
    </message>
    <message>
      <source>Restore Defaults</source>
      <translation>Kembalikan Bawaan</translation>
    </message>
    <message>
      <source>Don't Save</source>
      <translation>Jangan Simpan</translation>
    </message>
    <message>
      <source>Close without Saving</source>
      <translation>Tutup tanpa Menyimpan</translation>
    </message>
  </context>
  <context>
    <name>QLineEdit</name>
    <message>
      <source>&amp;Undo</source>
      <translation>&amp;Urungkan</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>Ula&amp;ngi</translation>
    </message>
    <message>
      <source>Cu&amp;t</source>
      <translation>Po&amp;tong</translation>
    </message>
    <message>
      <source>&amp;Copy</source>
      <translation>&amp;Salin</translation>
    </message>
    <message>
      <source>&amp;Paste</source>
      <translation>T&amp;empel</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>Hapus</translation>
    </message>
    <message>
      <source>Select All</source>
      <translation>Pilih Semua</translation>
    </message>
  </context>
  <context>
    <name>QWidgetTextControl</name>
    <message>
      <source>&amp;Undo</source>
      <translation>&amp;Urungkan</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>Ula&amp;ngi</translation>
    </message>
    <message>
      <source>Cu&amp;t</source>
      <translation>Po&amp;tong</translation>
    </message>
    <message>
      <source>&amp;Copy</source>
      <translation>&amp;Salin</translation>
    </message>
    <message>
      <source>Copy &amp;Link Location</source>
      <translation>Salin Alamat &amp;Tautan</translation>
    </message>
    <message>
      <source>&amp;Paste</source>
      <translation>T&amp;empel</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>Hapus</translation>
    </message>
    <message>
      <source>Select All</source>
      <translation>Pilih Semua</translation>
    </message>
  </context>
  <context>
    <name>QScrollBar</name>
    <message>
      <source>Scroll here</source>
      <translation>Gulir ke sini</translation>
    </message>
    <message>
      <source>Left edge</source>
      <translation>Tepi kiri</translation>
    </message>
    <message>
      <source>Top</source>
      <translation>Atas</translation>
    </message>
    <message>
      <source>Right edge</source>
      <translation>Tepi kanan</translation>
    </message>
    <message>
      <source>Bottom</source>
      <translation>Bawah</translation>
    </message>
    <message>
      <source>Page left</source>
      <translation>Halaman kiri</translation>
    </message>
    <message>
      <source>Page up</source>
      <translation>Halaman atas</translation>
    </message>
    <message>
      <source>Page right</source>
      <translation>Halaman kanan</translation>
    </message>
    <message>
      <source>Page down</source>
      <translation>Halaman bawah</translation>
    </message>
    <message>
      <source>Scroll left</source>
      <translation>Gulir kiri</translation>
    </message>
    <message>
      <source>Scroll up</source>
      <translation>Gulir ke atas</translation>
    </message>
    <message>
      <source>Scroll right</source>
      <translation>Gulir kanan</translation>
    </message>
    <message>
      <source>Scroll down</source>
      <translation>Gulir ke bawah</translation>
    </message>
  </context>
  <context>
    <name>QMessageBox</name>
    <message>
      <source>Show Details...</source>
      <translation>Tampilkan Rincian...</translation>
    </message>
    <message>
      <source>Hide Details...</source>
      <translation>Sembunyikan Rincian...</translation>
    </message>
  </context>
</TS>