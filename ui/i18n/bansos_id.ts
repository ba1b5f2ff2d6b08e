<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID">
  <context>
    <name>DuplicatePanel</name>
    <message>
      <location filename="../duplicate_panel.py" line="42" />
      <location filename="../duplicate_panel.py" line="81" />
      <source>Possible duplicates</source>
      <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="43" />
      <location filename="../duplicate_panel.py" line="80" />
      <source>No matching entries.</source>
      <translation>Tidak ada entri yang cocok.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="66" />
      <source>Same NIK</source>
      <translation>NIK sama</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="67" />
      <source>Same KK, same programme</source>
      <translation>KK sama, program sama</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="68" />
      <source>Probably the same person ({score:.0f}%)</source>
      <translation>Mungkin orang yang sama ({score:.0f}%)</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="88" />
      <source>The NIK is not valid. Probably meant: this person, already registered (same name and birth date).</source>
      <translation>NIK tidak valid. Mungkin yang dimaksud: orang ini, sudah terdaftar (nama dan tanggal lahir sama).</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="69" />
      <source>Recipient list</source>
      <translation>Daftar penerima</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="71" />
      <source>blocks saving</source>
      <translation>tidak bisa disimpan</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="71" />
      <source>warning</source>
      <translation>peringatan</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="76" />
      <source>Click or press Enter to open this entry.</source>
      <translation>Klik atau tekan Enter untuk membuka entri ini.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="83" />
      <source>Possible duplicates ({n})</source>
      <translation>Kemungkinan duplikat ({n})</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="85" />
      <source>{n} match(es) block saving.</source>
      <translation>{n} kecocokan membuat entri ini tidak bisa disimpan.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="90" />
      <source>Check these entries before saving.</source>
      <translation>Periksa entri-entri ini sebelum menyimpan.</translation>
    </message>
  </context>
  <context>
    <name>ProposalsTab</name>
    <message>
      <location filename="../review/proposals.py" line="96" />
      <source>Details</source>
      <translation>Rincian</translation>
    </message>
    <message>
      <location filename="../review/proposals.py" line="97" />
      <source>History (H)</source>
      <translation>Riwayat (H)</translation>
    </message>
  </context>
  <context>
    <name>EntryForm</name>
    <message>
      <location filename="../entry_form.py" line="119" />
      <source>16 digits, from the KTP</source>
      <translation>16 digit, sesuai KTP</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="121" />
      <source>16 digits, from the family card</source>
      <translation>16 digit, sesuai Kartu Keluarga</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="128" />
      <source>As written on the KTP</source>
      <translation>Sesuai tulisan di KTP</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="130" />
      <source>dd-mm-yyyy</source>
      <translation>hh-bb-tttt</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="133" />
      <source>— choose —</source>
      <translation>— pilih —</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="134" />
      <source>L — male</source>
      <translation>L — Laki-laki</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="135" />
      <source>P — female</source>
      <translation>P — Perempuan</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="145" />
      <source>Street, house number</source>
      <translation>Jalan, nomor rumah</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="164" />
      <source>e.g. -2.7412</source>
      <translation>mis. -2.7412</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="165" />
      <source>e.g. 107.6350</source>
      <translation>mis. 107.6350</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="167" />
      <source>Identity</source>
      <translation>Identitas</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="172" />
      <source>&amp;NIK:</source>
      <translation>&amp;NIK:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="173" />
      <source>No. &amp;KK:</source>
      <translation>No. &amp;KK:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="174" />
      <source>N&amp;ame:</source>
      <translation>N&amp;ama:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="175" />
      <source>&amp;Birth place:</source>
      <translation>&amp;Tempat lahir:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="176" />
      <source>Birth &amp;date:</source>
      <translation>Tanggal &amp;lahir:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="177" />
      <source>Se&amp;x:</source>
      <translation>&amp;Jenis kelamin:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="191" />
      <source>Address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="193" />
      <source>D&amp;usun:</source>
      <translation>&amp;Dusun:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="196" />
      <source>R&amp;W:</source>
      <translation>R&amp;W:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="201" />
      <source>&amp;RT:</source>
      <translation>&amp;RT:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="205" />
      <source>A&amp;ddress:</source>
      <translation>Ala&amp;mat:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="206" />
      <source>&amp;Phone:</source>
      <translation>Nomor &amp;HP:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="208" />
      <source>Programme and criteria</source>
      <translation>Program dan kriteria</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="210" />
      <source>Pro&amp;gramme:</source>
      <translation>&amp;Program:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="213" />
      <source>&amp;Criteria:</source>
      <translation>Kr&amp;iteria:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="216" />
      <source>Arrow keys to move, Space to tick.</source>
      <translation>Panah untuk berpindah, Spasi untuk mencentang.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="219" />
      <source>N&amp;otes:</source>
      <translation>&amp;Catatan:</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="225" />
      <source>Coordinates (optional):</source>
      <translation>Koordinat (opsional):</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="252" />
      <source>Checks</source>
      <translation>Pemeriksaan</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="256" />
      <source>&amp;Save (Enter)</source>
      <translation>&amp;Simpan (Enter)</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="258" />
      <source>Save, next &amp;member of this KK (Shift+Enter)</source>
      <translation>Simpan + an&amp;ggota KK berikutnya (Shift+Enter)</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="260" />
      <source>Cancel (Esc)</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="416" />
      <source>New entry</source>
      <translation>Entri baru</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="426" />
      <source>Next member of KK {kk}</source>
      <translation>Anggota berikutnya dari KK {kk}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="435" />
      <source>The entry cannot be opened: it was deleted.</source>
      <translation>Entri tidak bisa dibuka: entri ini sudah dihapus.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="459" />
      <source>Edit entry: {name}</source>
      <translation>Ubah entri: {name}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="474" />
      <source>Conflict with the server's copy: settle it from the Sync menu (Conflicts).</source>
      <translation>Berbeda dengan data di server: selesaikan lewat menu Sinkronisasi (Konflik).</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="476" />
      <source>The server refused this entry. Fix the fields marked below and save to send it again.</source>
      <translation>Server menolak entri ini. Perbaiki kolom yang ditandai di bawah lalu simpan untuk mengirim ulang.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="478" />
      <source>Rejected by the kecamatan: {reason}.</source>
      <translation>Ditolak kecamatan: {reason}.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="480" />
      <source>Note: {note}</source>
      <translation>Catatan: {note}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="481" />
      <source>Saving a correction sends it for review again.</source>
      <translation>Menyimpan perbaikan mengirimnya untuk diverifikasi lagi.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="483" />
      <source>Returned for revision: {note}</source>
      <translation>Dikembalikan untuk perbaikan: {note}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="484" />
      <source>Fix it and save; it will be sent for review again.</source>
      <translation>Perbaiki lalu simpan; entri akan dikirim untuk diverifikasi lagi.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="486" />
      <source>Approved by the kecamatan. Saving a change sends it for review again.</source>
      <translation>Disetujui kecamatan. Menyimpan perubahan akan mengirimnya untuk diverifikasi lagi.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="523" />
      <source>{n}/16 digits</source>
      <translation>{n}/16 digit</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="588" />
      <source>No problems found so far.</source>
      <translation>Belum ada masalah yang ditemukan.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="643" />
      <source>Not saved: {msg}</source>
      <translation>Belum disimpan: {msg}</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="654" />
      <source>Saved: {name}.</source>
      <translation>Tersimpan: {name}.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="656" />
      <source>No changes to save for {name}.</source>
      <translation>Tidak ada perubahan untuk disimpan pada {name}.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="668" />
      <source>Probable duplicate</source>
      <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="669" />
      <source>This person looks like an entry that already exists. Save only if it is a different person, and write why (for example: twins, different parents). The reason is kept in the audit log.</source>
      <translation>Orang ini mirip dengan entri yang sudah ada. Simpan hanya jika memang orang yang berbeda, dan tuliskan alasannya (misalnya: kembar, orang tua berbeda). Alasan disimpan di jejak audit.</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="694" />
      <source>Discard entry</source>
      <translation>Buang isian</translation>
    </message>
    <message>
      <location filename="../entry_form.py" line="695" />
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
      <location filename="../entry_list_model.py" line="77" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="78" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="79" />
      <source>No. KK</source>
      <translation>No. KK</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="80" />
      <source>Born</source>
      <translation>Lahir</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="81" />
      <source>Sex</source>
      <translation>L/P</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="82" />
      <source>Programme</source>
      <translation>Program</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="83" />
      <source>Dusun</source>
      <translation>Dusun</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="84" />
      <source>RT/RW</source>
      <translation>RT/RW</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="85" />
      <source>Criteria</source>
      <translation>Kriteria</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="86" />
      <source>Sending</source>
      <translation>Status kirim</translation>
    </message>
    <message>
      <location filename="../entry_list_model.py" line="87" />
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
      <location filename="../desa_picker.py" line="326" />
      <source>The file could not be imported because of a program error; the details are in the log.</source>
      <translation>File tidak bisa diimpor karena kesalahan program; rinciannya ada di log.</translation>
    </message>
    <message>
      <location filename="../desa_picker.py" line="327" />
      <source>Not imported: {reason}</source>
      <translation>Belum diimpor: {reason}</translation>
    </message>
  </context>
  <context>
    <name>HistoryModel</name>
    <message>
      <location filename="../review/history.py" line="38" />
      <source>Changes</source>
      <translation>Perubahan</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="38" />
      <source>Time, by</source>
      <translation>Waktu, oleh</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="38" />
      <source>Action, reason / note</source>
      <translation>Tindakan, alasan / catatan</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="54" />
      <source>village ({operator})</source>
      <translation>desa ({operator})</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="54" />
      <source>village</source>
      <translation>desa</translation>
    </message>
  </context>
  <context>
    <name>HistoryPanel</name>
    <message>
      <location filename="../review/history.py" line="119" />
      <source>Choose a proposal to see its history.</source>
      <translation>Pilih usulan untuk melihat riwayatnya.</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="125" />
      <source>Loading the history of {name}…</source>
      <translation>Memuat riwayat {name}…</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="132" />
      <source>History of {name}: {n} events, newest first.</source>
      <translation>Riwayat {name}: {n} kejadian, terbaru di atas.</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="134" />
      <source>No history yet for {name}.</source>
      <translation>Belum ada riwayat untuk {name}.</translation>
    </message>
    <message>
      <location filename="../review/history.py" line="138" />
      <source>The history could not be loaded: {reason}</source>
      <translation>Riwayat tidak bisa dimuat: {reason}</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../main_window.py" line="139" />
      <source>&amp;File</source>
      <translation>&amp;Berkas</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="140" />
      <source>&amp;Entry</source>
      <translation>&amp;Entri</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="141" />
      <source>S&amp;ynchronisation</source>
      <translation>Sinkr&amp;onisasi</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="143" />
      <source>&amp;Help</source>
      <translation>Bant&amp;uan</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="148" />
      <source>&amp;New entry</source>
      <translation>Entri &amp;baru</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="151" />
      <source>&amp;Save and start a new entry	Ctrl+S</source>
      <translation>&amp;Simpan dan mulai entri baru	Ctrl+S</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="152" />
      <source>Save and add the next &amp;member of this KK	Ctrl+Shift+S</source>
      <translation>Simpan dan tambah &amp;anggota KK berikutnya	Ctrl+Shift+S</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="157" />
      <source>&amp;Quit</source>
      <translation>&amp;Keluar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="159" />
      <source>Go to the &amp;form</source>
      <translation>Ke &amp;formulir</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="160" />
      <source>Go to the &amp;list</source>
      <translation>Ke &amp;daftar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="161" />
      <source>&amp;Search the list</source>
      <translation>&amp;Cari di daftar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="164" />
      <source>&amp;Edit the selected entry</source>
      <translation>&amp;Ubah entri terpilih</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="166" />
      <source>&amp;Delete the selected entry…</source>
      <translation>&amp;Hapus entri terpilih…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="169" />
      <source>(Synchronisation is not set up on this computer)</source>
      <translation>(Sinkronisasi belum diatur di komputer ini)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="173" />
      <source>&amp;Keyboard shortcuts</source>
      <translation>&amp;Pintasan keyboard</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="175" />
      <source>&amp;About Bansos Desa</source>
      <translation>&amp;Tentang Bansos Desa</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="233" />
      <source>The daily backup could not be made; details are in the log.</source>
      <translation>Cadangan harian tidak bisa dibuat; rinciannya ada di log.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="262" />
      <source>Discard entry</source>
      <translation>Buang isian</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="263" />
      <source>The form has changes that are not saved. Discard them?</source>
      <translation>Formulir berisi perubahan yang belum disimpan. Buang perubahan itu?</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="279" />
      <source>The entry no longer exists.</source>
      <translation>Entri ini sudah tidak ada.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="282" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="282" />
      <source>No. KK</source>
      <translation>No. KK</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="282" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="283" />
      <source>Born</source>
      <translation>Lahir</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="284" />
      <source>Sex</source>
      <translation>L/P</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="284" />
      <source>Programme</source>
      <translation>Program</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="285" />
      <source>Address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="286" />
      <source>Sending</source>
      <translation>Status kirim</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="287" />
      <source>Deleted</source>
      <translation>Dihapus</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="287" />
      <source>yes: {reason}</source>
      <translation>ya: {reason}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="287" />
      <source>no</source>
      <translation>tidak</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="289" />
      <source>Existing entry: {name}</source>
      <translation>Entri yang sudah ada: {name}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="314" />
      <source>{total} entries · {waiting} not sent yet</source>
      <translation>{total} entri · {waiting} belum dikirim</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="329" />
      <source>no desa chosen</source>
      <translation>desa belum dipilih</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="334" />
      <source>Bansos Desa — {where} — operator: {who}</source>
      <translation>Bansos Desa — {where} — operator: {who}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="339" />
      <source>&lt;b&gt;Data entry&lt;/b&gt;&lt;br&gt;Enter or Ctrl+S: save and start a new entry&lt;br&gt;Shift+Enter or Ctrl+Shift+S: save and add the next member of the same KK&lt;br&gt;Esc: cancel this entry&lt;br&gt;Tab / Shift+Tab: next / previous field&lt;br&gt;Alt + underlined letter: jump to that field&lt;br&gt;&lt;br&gt;&lt;b&gt;Entry list&lt;/b&gt;&lt;br&gt;F3: go to the list · Ctrl+F: search&lt;br&gt;Enter: edit the selected entry · Del: delete it (with a reason)&lt;br&gt;&lt;br&gt;&lt;b&gt;Other&lt;/b&gt;&lt;br&gt;F2: go to the form · Ctrl+N: new entry · Ctrl+Q: quit</source>
      <translation>&lt;b&gt;Isi data&lt;/b&gt;&lt;br&gt;Enter atau Ctrl+S: simpan dan mulai entri baru&lt;br&gt;Shift+Enter atau Ctrl+Shift+S: simpan dan tambah anggota berikutnya dari KK yang sama&lt;br&gt;Esc: batalkan entri ini&lt;br&gt;Tab / Shift+Tab: isian berikutnya / sebelumnya&lt;br&gt;Alt + huruf bergaris bawah: lompat ke isian itu&lt;br&gt;&lt;br&gt;&lt;b&gt;Daftar entri&lt;/b&gt;&lt;br&gt;F3: ke daftar · Ctrl+F: cari&lt;br&gt;Enter: ubah entri terpilih · Del: hapus (dengan alasan)&lt;br&gt;&lt;br&gt;&lt;b&gt;Lainnya&lt;/b&gt;&lt;br&gt;F2: ke formulir · Ctrl+N: entri baru · Ctrl+Q: keluar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="347" />
      <source>Keyboard shortcuts</source>
      <translation>Pintasan keyboard</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="355" />
      <source>About Bansos Desa</source>
      <translation>Tentang Bansos Desa</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="356" />
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
      <location filename="../main_window.py" line="68" />
      <source>Data entry (F2)</source>
      <translation>Isi data (F2)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="69" />
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
  <context>
    <name>QFileDialog</name>
    <message>
      <source>&amp;Delete</source>
      <translation>&amp;Hapus</translation>
    </message>
    <message>
      <source>&amp;Look in:</source>
      <translation>&amp;Lihat di:</translation>
    </message>
    <message>
      <source>Look in:</source>
      <translation>Lihat di:</translation>
    </message>
    <message>
      <source>&amp;New Folder</source>
      <translation>&amp;Folder Baru</translation>
    </message>
    <message>
      <source>&amp;Open</source>
      <translation>&amp;Buka</translation>
    </message>
    <message>
      <source>&amp;Rename</source>
      <translation>&amp;Ganti Nama</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>&amp;Simpan</translation>
    </message>
    <message>
      <source>All Files (*)</source>
      <translation>Semua Berkas (*)</translation>
    </message>
    <message>
      <source>Back</source>
      <translation>Kembali</translation>
    </message>
    <message>
      <source>Change to detail view mode</source>
      <translation>Tampilan rinci</translation>
    </message>
    <message>
      <source>Change to list view mode</source>
      <translation>Tampilan daftar</translation>
    </message>
    <message>
      <source>Create New Folder</source>
      <translation>Buat Folder Baru</translation>
    </message>
    <message>
      <source>Create a New Folder</source>
      <translation>Buat Folder Baru</translation>
    </message>
    <message>
      <source>Detail View</source>
      <translation>Tampilan Rinci</translation>
    </message>
    <message>
      <source>File &amp;name:</source>
      <translation>&amp;Nama berkas:</translation>
    </message>
    <message>
      <source>Files</source>
      <translation>Berkas</translation>
    </message>
    <message>
      <source>Files of &amp;type:</source>
      <translation>&amp;Jenis berkas:</translation>
    </message>
    <message>
      <source>Forward</source>
      <translation>Maju</translation>
    </message>
    <message>
      <source>Go back</source>
      <translation>Kembali</translation>
    </message>
    <message>
      <source>Go forward</source>
      <translation>Maju</translation>
    </message>
    <message>
      <source>Go to the parent directory</source>
      <translation>Ke folder induk</translation>
    </message>
    <message>
      <source>List View</source>
      <translation>Tampilan Daftar</translation>
    </message>
    <message>
      <source>List of places and bookmarks</source>
      <translation>Daftar tempat dan penanda</translation>
    </message>
    <message>
      <source>Parent Directory</source>
      <translation>Folder Induk</translation>
    </message>
    <message>
      <source>Show </source>
      <translation>Tampilkan </translation>
    </message>
    <message>
      <source>Show &amp;hidden files</source>
      <translation>Tampilkan berkas &amp;tersembunyi</translation>
    </message>
    <message>
      <source>Sidebar</source>
      <translation>Panel samping</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>Buka</translation>
    </message>
    <message>
      <source>Save As</source>
      <translation>Simpan Sebagai</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Simpan</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Batal</translation>
    </message>
    <message>
      <source>Find Directory</source>
      <translation>Cari Folder</translation>
    </message>
    <message>
      <source>Directories</source>
      <translation>Folder</translation>
    </message>
    <message>
      <source>Directory:</source>
      <translation>Folder:</translation>
    </message>
    <message>
      <source>New Folder</source>
      <translation>Folder Baru</translation>
    </message>
    <message>
      <source>Are you sure you want to delete '%1'?</source>
      <translation>Yakin ingin menghapus '%1'?</translation>
    </message>
    <message>
      <source>%1 already exists.
Do you want to replace it?</source>
      <translation>%1 sudah ada.
Ganti dengan yang baru?</translation>
    </message>
    <message>
      <source>%1
File not found.
Please verify the correct file name was given.</source>
      <translation>%1
Berkas tidak ditemukan.
Periksa kembali nama berkasnya.</translation>
    </message>
    <message>
      <source>%1
Directory not found.
Please verify the correct directory name was given.</source>
      <translation>%1
Folder tidak ditemukan.
Periksa kembali nama foldernya.</translation>
    </message>
    <message>
      <source>Recent Places</source>
      <translation>Tempat Terakhir</translation>
    </message>
    <message>
      <source>My Computer</source>
      <translation>Komputer Saya</translation>
    </message>
    <message>
      <source>Computer</source>
      <translation>Komputer</translation>
    </message>
  </context>
  <context>
    <name>QFileSystemModel</name>
    <message>
      <source>Computer</source>
      <translation>Komputer</translation>
    </message>
    <message>
      <source>Date Modified</source>
      <translation>Tanggal Diubah</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>Ukuran</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <source>My Computer</source>
      <translation>Komputer Saya</translation>
    </message>
  </context>
  <context>
    <name>QPageSetupWidget</name>
    <message>
      <source>Cicero (CC)</source>
      <translation>Cicero (CC)</translation>
    </message>
    <message>
      <source>Custom</source>
      <translation>Khusus</translation>
    </message>
    <message>
      <source>Didot (DD)</source>
      <translation>Didot (DD)</translation>
    </message>
    <message>
      <source>Form</source>
      <translation>Formulir</translation>
    </message>
    <message>
      <source>Height:</source>
      <translation>Tinggi:</translation>
    </message>
    <message>
      <source>Inches (in)</source>
      <translation>Inci (in)</translation>
    </message>
    <message>
      <source>Landscape</source>
      <translation>Mendatar</translation>
    </message>
    <message>
      <source>Margins</source>
      <translation>Margin</translation>
    </message>
    <message>
      <source>Millimeters (mm)</source>
      <translation>Milimeter (mm)</translation>
    </message>
    <message>
      <source>Orientation</source>
      <translation>Orientasi</translation>
    </message>
    <message>
      <source>Page &amp;order:</source>
      <translation>&amp;Urutan halaman:</translation>
    </message>
    <message>
      <source>Page Layout</source>
      <translation>Tata Letak Halaman</translation>
    </message>
    <message>
      <source>Page size:</source>
      <translation>Ukuran kertas:</translation>
    </message>
    <message>
      <source>Pages &amp;per sheet:</source>
      <translation>Halaman &amp;per lembar:</translation>
    </message>
    <message>
      <source>Paper</source>
      <translation>Kertas</translation>
    </message>
    <message>
      <source>Paper source:</source>
      <translation>Sumber kertas:</translation>
    </message>
    <message>
      <source>Pica (P̸)</source>
      <translation>Pica (P̸)</translation>
    </message>
    <message>
      <source>Points (pt)</source>
      <translation>Poin (pt)</translation>
    </message>
    <message>
      <source>Portrait</source>
      <translation>Tegak</translation>
    </message>
    <message>
      <source>Reverse landscape</source>
      <translation>Mendatar terbalik</translation>
    </message>
    <message>
      <source>Reverse portrait</source>
      <translation>Tegak terbalik</translation>
    </message>
    <message>
      <source>Width:</source>
      <translation>Lebar:</translation>
    </message>
    <message>
      <source>bottom margin</source>
      <translation>margin bawah</translation>
    </message>
    <message>
      <source>left margin</source>
      <translation>margin kiri</translation>
    </message>
    <message>
      <source>mm</source>
      <translation>mm</translation>
    </message>
    <message>
      <source>right margin</source>
      <translation>margin kanan</translation>
    </message>
    <message>
      <source>top margin</source>
      <translation>margin atas</translation>
    </message>
  </context>
  <context>
    <name>QPrintDialog</name>
    <message>
      <source>&amp;Options &gt;&gt;</source>
      <translation>&amp;Opsi &gt;&gt;</translation>
    </message>
    <message>
      <source>&amp;Options &lt;&lt;</source>
      <translation>&amp;Opsi &lt;&lt;</translation>
    </message>
    <message>
      <source>&amp;Print</source>
      <translation>&amp;Cetak</translation>
    </message>
    <message>
      <source>1 (1x1)</source>
      <translation>1 (1x1)</translation>
    </message>
    <message>
      <source>16 (4x4)</source>
      <translation>16 (4x4)</translation>
    </message>
    <message>
      <source>2 (2x1)</source>
      <translation>2 (2x1)</translation>
    </message>
    <message>
      <source>4 (2x2)</source>
      <translation>4 (2x2)</translation>
    </message>
    <message>
      <source>6 (2x3)</source>
      <translation>6 (2x3)</translation>
    </message>
    <message>
      <source>9 (3x3)</source>
      <translation>9 (3x3)</translation>
    </message>
    <message>
      <source>All Pages</source>
      <translation>Semua Halaman</translation>
    </message>
    <message>
      <source>Bottom to Top, Left to Right</source>
      <translation>Bawah ke Atas, Kiri ke Kanan</translation>
    </message>
    <message>
      <source>Bottom to Top, Right to Left</source>
      <translation>Bawah ke Atas, Kanan ke Kiri</translation>
    </message>
    <message>
      <source>Even Pages</source>
      <translation>Halaman Genap</translation>
    </message>
    <message>
      <source>Left to Right, Bottom to Top</source>
      <translation>Kiri ke Kanan, Bawah ke Atas</translation>
    </message>
    <message>
      <source>Left to Right, Top to Bottom</source>
      <translation>Kiri ke Kanan, Atas ke Bawah</translation>
    </message>
    <message>
      <source>Local file</source>
      <translation>Berkas lokal</translation>
    </message>
    <message>
      <source>Odd Pages</source>
      <translation>Halaman Ganjil</translation>
    </message>
    <message>
      <source>Print</source>
      <translation>Cetak</translation>
    </message>
    <message>
      <source>Print to File (PDF)</source>
      <translation>Cetak ke Berkas (PDF)</translation>
    </message>
    <message>
      <source>Right to Left, Bottom to Top</source>
      <translation>Kanan ke Kiri, Bawah ke Atas</translation>
    </message>
    <message>
      <source>Right to Left, Top to Bottom</source>
      <translation>Kanan ke Kiri, Atas ke Bawah</translation>
    </message>
    <message>
      <source>Top to Bottom, Left to Right</source>
      <translation>Atas ke Bawah, Kiri ke Kanan</translation>
    </message>
    <message>
      <source>Top to Bottom, Right to Left</source>
      <translation>Atas ke Bawah, Kanan ke Kiri</translation>
    </message>
    <message>
      <source>Write PDF file</source>
      <translation>Tulis berkas PDF</translation>
    </message>
    <message>
      <source>Print To File ...</source>
      <translation>Cetak ke Berkas ...</translation>
    </message>
    <message>
      <source>Print range</source>
      <translation>Halaman yang dicetak</translation>
    </message>
  </context>
  <context>
    <name>QPrintPreviewDialog</name>
    <message>
      <source>First page</source>
      <translation>Halaman pertama</translation>
    </message>
    <message>
      <source>Fit page</source>
      <translation>Satu halaman penuh</translation>
    </message>
    <message>
      <source>Fit width</source>
      <translation>Selebar jendela</translation>
    </message>
    <message>
      <source>Landscape</source>
      <translation>Mendatar</translation>
    </message>
    <message>
      <source>Last page</source>
      <translation>Halaman terakhir</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>Halaman berikutnya</translation>
    </message>
    <message>
      <source>Page Setup</source>
      <translation>Pengaturan Halaman</translation>
    </message>
    <message>
      <source>Page setup</source>
      <translation>Pengaturan halaman</translation>
    </message>
    <message>
      <source>Portrait</source>
      <translation>Tegak</translation>
    </message>
    <message>
      <source>Previous page</source>
      <translation>Halaman sebelumnya</translation>
    </message>
    <message>
      <source>Print</source>
      <translation>Cetak</translation>
    </message>
    <message>
      <source>Print Preview</source>
      <translation>Pratinjau Cetak</translation>
    </message>
    <message>
      <source>Show facing pages</source>
      <translation>Tampilkan dua halaman</translation>
    </message>
    <message>
      <source>Show overview of all pages</source>
      <translation>Tampilkan semua halaman</translation>
    </message>
    <message>
      <source>Show single page</source>
      <translation>Tampilkan satu halaman</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>Perbesar</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>Perkecil</translation>
    </message>
    <message>
      <source>Export to PDF</source>
      <translation>Ekspor ke PDF</translation>
    </message>
  </context>
  <context>
    <name>QPrintSettingsOutput</name>
    <message>
      <source>Collate</source>
      <translation>Susun</translation>
    </message>
    <message>
      <source>Color</source>
      <translation>Warna</translation>
    </message>
    <message>
      <source>Color Mode</source>
      <translation>Mode Warna</translation>
    </message>
    <message>
      <source>Copies</source>
      <translation>Salinan</translation>
    </message>
    <message>
      <source>Copies:</source>
      <translation>Salinan:</translation>
    </message>
    <message>
      <source>Current Page</source>
      <translation>Halaman Ini</translation>
    </message>
    <message>
      <source>Double Sided Printing</source>
      <translation>Cetak Bolak-balik</translation>
    </message>
    <message>
      <source>Form</source>
      <translation>Formulir</translation>
    </message>
    <message>
      <source>Grayscale</source>
      <translation>Skala abu-abu</translation>
    </message>
    <message>
      <source>Long side binding</source>
      <translation>Jilid sisi panjang</translation>
    </message>
    <message>
      <source>Off</source>
      <translation>Mati</translation>
    </message>
    <message>
      <source>Options</source>
      <translation>Opsi</translation>
    </message>
    <message>
      <source>Output Settings</source>
      <translation>Pengaturan Keluaran</translation>
    </message>
    <message>
      <source>Page &amp;Set:</source>
      <translation>&amp;Kumpulan halaman:</translation>
    </message>
    <message>
      <source>Pages</source>
      <translation>Halaman</translation>
    </message>
    <message>
      <source>Pages from</source>
      <translation>Halaman dari</translation>
    </message>
    <message>
      <source>Print all</source>
      <translation>Cetak semua</translation>
    </message>
    <message>
      <source>Print range</source>
      <translation>Halaman yang dicetak</translation>
    </message>
    <message>
      <source>Reverse</source>
      <translation>Terbalik</translation>
    </message>
    <message>
      <source>Selection</source>
      <translation>Pilihan</translation>
    </message>
    <message>
      <source>Short side binding</source>
      <translation>Jilid sisi pendek</translation>
    </message>
    <message>
      <source>Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.</source>
      <translation>Tulis halaman atau rentang dipisah koma; rentang ditulis dua angka dengan tanda hubung. Contoh: 3,5-7,9 mencetak halaman 3, 5, 6, 7 dan 9.</translation>
    </message>
    <message>
      <source>to</source>
      <translation>sampai</translation>
    </message>
  </context>
  <context>
    <name>QPrintWidget</name>
    <message>
      <source>&amp;Name:</source>
      <translation>&amp;Nama:</translation>
    </message>
    <message>
      <source>...</source>
      <translation>...</translation>
    </message>
    <message>
      <source>Form</source>
      <translation>Formulir</translation>
    </message>
    <message>
      <source>Location:</source>
      <translation>Lokasi:</translation>
    </message>
    <message>
      <source>Output &amp;file:</source>
      <translation>&amp;Berkas keluaran:</translation>
    </message>
    <message>
      <source>P&amp;roperties</source>
      <translation>P&amp;roperti</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>Pratinjau</translation>
    </message>
    <message>
      <source>Printer</source>
      <translation>Pencetak</translation>
    </message>
    <message>
      <source>Type:</source>
      <translation>Jenis:</translation>
    </message>
  </context>
</TS>