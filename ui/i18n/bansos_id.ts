<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID">
  <context>
    <name>DuplicatePanel</name>
    <message>
      <location filename="../duplicate_panel.py" line="43" />
      <location filename="../duplicate_panel.py" line="82" />
      <source>Possible duplicates</source>
      <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="67" />
      <source>Same NIK</source>
      <translation>NIK sama</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="68" />
      <source>Same KK, same programme</source>
      <translation>KK sama, program sama</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="69" />
      <source>Probably the same person ({score:.0f}%)</source>
      <translation>Mungkin orang yang sama ({score:.0f}%)</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="77" />
      <source>Click or press Enter to open this member.</source>
      <translation>Klik atau tekan Enter untuk membuka data anggota ini.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="89" />
      <source>The NIK is not valid. Probably meant: this person, already registered (same name and birth date).</source>
      <translation>NIK tidak valid. Mungkin yang dimaksud: orang ini, sudah terdaftar (nama dan tanggal lahir sama).</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="91" />
      <source>Check these members before saving.</source>
      <translation>Periksa data anggota ini sebelum menyimpan.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="70" />
      <source>Recipient list</source>
      <translation>Daftar penerima</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="44" />
      <location filename="../duplicate_panel.py" line="81" />
      <source>No matching members.</source>
      <translation>Tidak ada anggota keluarga yang cocok.</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="72" />
      <source>blocks saving</source>
      <translation>tidak bisa disimpan</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="72" />
      <source>warning</source>
      <translation>peringatan</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="84" />
      <source>Possible duplicates ({n})</source>
      <translation>Kemungkinan duplikat ({n})</translation>
    </message>
    <message>
      <location filename="../duplicate_panel.py" line="86" />
      <source>{n} match(es) block saving.</source>
      <translation>{n} kecocokan membuat data anggota ini tidak bisa disimpan.</translation>
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
    <name>HouseholdScreen</name>
    <message>
      <location filename="../household_screen.py" line="125" />
      <source>16 digits, from the family card</source>
      <translation>16 digit, sesuai Kartu Keluarga</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="129" />
      <source>KK not issued yet</source>
      <translation>KK belum terbit</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="140" />
      <source>Street, house number</source>
      <translation>Jalan, nomor rumah</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="155" />
      <source>No. &amp;KK:</source>
      <translation>No. &amp;KK:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="158" />
      <source>Desa:</source>
      <translation>Desa:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="163" />
      <source>Addr&amp;ess:</source>
      <translation>Alama&amp;t:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="160" />
      <source>Du&amp;sun:</source>
      <translation>Du&amp;sun:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="161" />
      <source>RT:</source>
      <translation>RT:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="162" />
      <source>RW:</source>
      <translation>RW:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="164" />
      <source>Phone:</source>
      <translation>No. HP:</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="183" />
      <source>m², e.g. 36</source>
      <translation>m², mis. 36</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="184" />
      <source>Floor area (m²):</source>
      <translation>Luas lantai (m²):</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="215" />
      <source>Family card and address</source>
      <translation>Kartu keluarga dan alamat</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="216" />
      <source>&amp;House and assets</source>
      <translation>&amp;Rumah dan aset</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="223" />
      <source>NIK / temporary no.</source>
      <translation>NIK / no. sementara</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="223" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="223" />
      <source>Born</source>
      <translation>Lahir</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="223" />
      <source>Sex</source>
      <translation>L/P</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="223" />
      <source>Relation</source>
      <translation>Hubungan</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="233" />
      <source>&amp;Anggota keluarga (Enter: edit, Ctrl+U: proposal):</source>
      <translation>&amp;Anggota keluarga (Enter: ubah, Ctrl+U: usulan):</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="255" />
      <source>Checks</source>
      <translation>Pemeriksaan</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="263" />
      <source>Proposals of this family</source>
      <translation>Usulan keluarga ini</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="266" />
      <source>&amp;Save member (Enter)</source>
      <translation>Simpan anggota (Enter)</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="268" />
      <source>New &amp;proposal (Ctrl+U)</source>
      <translation>Usulan baru (Ctrl+U)</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="270" />
      <source>Cancel (Esc)</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="384" />
      <source>{n}/16 digits</source>
      <translation>{n}/16 digit</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="418" />
      <source>New family</source>
      <translation>Keluarga baru</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="426" />
      <source>The family cannot be opened: it was deleted.</source>
      <translation>Keluarga tidak bisa dibuka: datanya sudah dihapus.</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="450" />
      <location filename="../household_screen.py" line="551" />
      <source>Family KK {kk}</source>
      <translation>Keluarga KK {kk}</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="450" />
      <location filename="../household_screen.py" line="551" />
      <source>(not issued yet)</source>
      <translation>(belum terbit)</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="459" />
      <source>Conflict with the server's copy: settle it from the Sync menu (Conflicts).</source>
      <translation>Berbeda dengan data di server: selesaikan lewat menu Sinkronisasi (Konflik).</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="461" />
      <source>The server refused this family's data. Fix the fields and save to send it again.</source>
      <translation>Server menolak data keluarga ini. Perbaiki isiannya lalu simpan untuk mengirim ulang.</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="499" />
      <source>family, pengurus {name}</source>
      <translation>keluarga, pengurus {name}</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="556" />
      <source>Family saved. Now enter its members.</source>
      <translation>Keluarga tersimpan. Sekarang isi anggotanya.</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="572" />
      <location filename="../household_screen.py" line="627" />
      <location filename="../household_screen.py" line="634" />
      <source>Not saved: {msg}</source>
      <translation>Belum disimpan: {msg}</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="603" />
      <source>Saved: {name}. Next member of this family.</source>
      <translation>Tersimpan: {name}. Lanjut anggota berikutnya dari keluarga ini.</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="614" />
      <source>Probable duplicate</source>
      <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="615" />
      <source>This person looks like a member who is already registered. Save only if it is a different person, and write why (for example: twins, different parents). The reason is kept in the audit log.</source>
      <translation>Orang ini mirip dengan anggota yang sudah terdaftar. Simpan hanya jika memang orang yang berbeda, dan tuliskan alasannya (misalnya: kembar, orang tua berbeda). Alasan disimpan di jejak audit.</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="653" />
      <source>Save the family first (Enter), then make its proposals.</source>
      <translation>Simpan keluarganya dulu (Enter), baru buat usulannya.</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="677" />
      <source>Discard changes</source>
      <translation>Buang isian</translation>
    </message>
    <message>
      <location filename="../household_screen.py" line="678" />
      <source>Discard what you typed in this form?</source>
      <translation>Buang semua yang sudah diketik di formulir ini?</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../main_window.py" line="153" />
      <source>&amp;File</source>
      <translation>&amp;Berkas</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="155" />
      <source>S&amp;ynchronisation</source>
      <translation>Sinkr&amp;onisasi</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="157" />
      <source>&amp;Help</source>
      <translation>Bant&amp;uan</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="172" />
      <source>&amp;Quit</source>
      <translation>&amp;Keluar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="175" />
      <source>Go to the &amp;list</source>
      <translation>Ke &amp;daftar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="176" />
      <source>&amp;Search the list</source>
      <translation>&amp;Cari di daftar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="154" />
      <source>&amp;Data</source>
      <translation>&amp;Data</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="162" />
      <source>&amp;New family</source>
      <translation>Keluarga &amp;baru</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="165" />
      <source>&amp;Save the member and start the next one	Enter</source>
      <translation>&amp;Simpan anggota dan lanjut ke berikutnya	Enter</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="167" />
      <source>New &amp;proposal for the family or the selected member	Ctrl+U</source>
      <translation>&amp;Usulan baru untuk keluarga atau anggota terpilih	Ctrl+U</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="174" />
      <source>Go to the &amp;family</source>
      <translation>Ke &amp;keluarga</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="182" />
      <source>&amp;Open the selected row</source>
      <translation>&amp;Buka baris terpilih</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="184" />
      <source>&amp;Delete the selected row…</source>
      <translation>&amp;Hapus baris terpilih…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="189" />
      <source>(Synchronisation is not set up on this computer)</source>
      <translation>(Sinkronisasi belum diatur di komputer ini)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="193" />
      <source>Send by &amp;file…</source>
      <translation>&amp;Kirim lewat berkas…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="194" />
      <source>Read the &amp;reply file…</source>
      <translation>Baca &amp;balasan berkas…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="197" />
      <source>&amp;Keyboard shortcuts</source>
      <translation>&amp;Pintasan keyboard</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="199" />
      <source>&amp;About Bansos Desa</source>
      <translation>&amp;Tentang Bansos Desa</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="269" />
      <source>The daily backup could not be made; details are in the log.</source>
      <translation>Cadangan harian tidak bisa dibuat; rinciannya ada di log.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="311" />
      <source>Discard changes</source>
      <translation>Buang isian</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="312" />
      <source>The family or member form has changes that are not saved. Discard them?</source>
      <translation>Isian keluarga atau anggota belum disimpan. Buang isian itu?</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="333" />
      <source>Delete</source>
      <translation>Hapus</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="333" />
      <source>Why is this deleted? The reason is kept in the audit log.</source>
      <translation>Mengapa data ini dihapus? Alasannya disimpan di jejak audit.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="342" />
      <source>Deleted.</source>
      <translation>Dihapus.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="365" />
      <location filename="../main_window.py" line="371" />
      <source>Send by file</source>
      <translation>Kirim lewat berkas</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="366" />
      <location filename="../main_window.py" line="384" />
      <source>Bansos Desa sync files (*.bansos)</source>
      <translation>Berkas sinkronisasi Bansos Desa (*.bansos)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="374" />
      <source>Sent to {path}: {b} batches, {n} records. Take the file to the kecamatan/dinas.</source>
      <translation>Terkirim ke {path}: {b} batch, {n} entri. Bawa berkas ini ke kecamatan/dinas.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="383" />
      <location filename="../main_window.py" line="389" />
      <source>Read the reply file</source>
      <translation>Baca balasan berkas</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="392" />
      <source>Reply applied: {a} accepted, {c} in conflict, {i} refused, {p} updates from the server.</source>
      <translation>Balasan diterapkan: {a} diterima, {c} konflik, {i} ditolak, {p} pembaruan dari server.</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="416" />
      <source>{h} families · {m} members · {p} proposals · {w} not sent yet</source>
      <translation>{h} keluarga · {m} anggota · {p} usulan · {w} belum dikirim</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="442" />
      <source>&lt;b&gt;Family screen (F2)&lt;/b&gt;&lt;br&gt;Enter in the KK or address: save the family, go to its first member&lt;br&gt;Enter in the member form: save the member and start the next one of the same family&lt;br&gt;Ctrl+T: the person has no NIK yet (temporary number)&lt;br&gt;Alt+A: the member table (Enter there: edit that member)&lt;br&gt;Ctrl+U: new proposal (on the member selected in the table, else on the family)&lt;br&gt;Esc: drop the member being typed · Ctrl+Tab: house and assets&lt;br&gt;&lt;br&gt;&lt;b&gt;List (F3)&lt;/b&gt;&lt;br&gt;Ctrl+1 / Ctrl+2 / Ctrl+3: families / members / proposals · Ctrl+F: search&lt;br&gt;Enter: open the family · Ctrl+Del: delete the selected row (with a reason)&lt;br&gt;&lt;br&gt;&lt;b&gt;Other&lt;/b&gt;&lt;br&gt;Ctrl+N: new family · Ctrl+Q: quit</source>
      <translation>&lt;b&gt;Layar keluarga (F2)&lt;/b&gt;&lt;br&gt;Enter di No. KK atau alamat: simpan keluarga, lanjut ke anggota pertama&lt;br&gt;Enter di isian anggota: simpan anggota dan mulai anggota berikutnya dari keluarga yang sama&lt;br&gt;Ctrl+T: orang ini belum punya NIK (nomor sementara)&lt;br&gt;Alt+A: tabel anggota (Enter di sana: ubah anggota itu)&lt;br&gt;Ctrl+U: usulan baru (untuk anggota terpilih di tabel, selain itu untuk keluarga)&lt;br&gt;Esc: buang anggota yang sedang diketik · Ctrl+Tab: rumah dan aset&lt;br&gt;&lt;br&gt;&lt;b&gt;Daftar (F3)&lt;/b&gt;&lt;br&gt;Ctrl+1 / Ctrl+2 / Ctrl+3: keluarga / anggota / usulan · Ctrl+F: cari&lt;br&gt;Enter: buka keluarganya · Ctrl+Del: hapus baris terpilih (dengan alasan)&lt;br&gt;&lt;br&gt;&lt;b&gt;Lainnya&lt;/b&gt;&lt;br&gt;Ctrl+N: keluarga baru · Ctrl+Q: keluar</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="432" />
      <source>no desa chosen</source>
      <translation>desa belum dipilih</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="437" />
      <source>Bansos Desa — {where} — operator: {who}</source>
      <translation>Bansos Desa — {where} — petugas: {who}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="452" />
      <source>Keyboard shortcuts</source>
      <translation>Pintasan keyboard</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="460" />
      <source>About Bansos Desa</source>
      <translation>Tentang Bansos Desa</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="461" />
      <source>Bansos Desa: registration of social-assistance candidates for the village.
{version}
Data folder: {folder}</source>
      <translation>Bansos Desa: pendataan calon penerima bantuan sosial desa.
{version}
Folder data: {folder}</translation>
    </message>
  </context>
  <context>
    <name>MemberForm</name>
    <message>
      <location filename="../member_form.py" line="89" />
      <location filename="../member_form.py" line="253" />
      <source>New member</source>
      <translation>Anggota baru</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="90" />
      <source>16 digits, from the KTP or KK</source>
      <translation>16 digit, sesuai KTP atau KK</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="96" />
      <source>No NIK yet: give a temporary number (Ctrl+T)</source>
      <translation>Belum punya NIK: beri nomor sementara (Ctrl+T)</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="99" />
      <source>As written on the KK</source>
      <translation>Sesuai tulisan di KK</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="101" />
      <source>dd-mm-yyyy or 17/8/85</source>
      <translation>hh-bb-tttt atau 17/8/85</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="132" />
      <source>&amp;NIK:</source>
      <translation>&amp;NIK:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="135" />
      <source>Full na&amp;me:</source>
      <translation>Na&amp;ma lengkap:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="136" />
      <source>Birth &amp;place:</source>
      <translation>T&amp;empat lahir:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="137" />
      <source>Birth &amp;date:</source>
      <translation>Tanggal &amp;lahir:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="138" />
      <source>Se&amp;x:</source>
      <translation>&amp;Jenis kelamin:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="139" />
      <source>&amp;Relation:</source>
      <translation>&amp;Hubungan (SHDK):</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="140" />
      <source>Marital stat&amp;us:</source>
      <translation>Status perkaw&amp;inan:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="141" />
      <source>Educat&amp;ion:</source>
      <translation>Ija&amp;zah tertinggi:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="142" />
      <source>&amp;Occupation:</source>
      <translation>&amp;Pekerjaan utama:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="143" />
      <source>Disabilit&amp;y (Space):</source>
      <translation>Kesulitan &amp;fungsional (Spasi):</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="144" />
      <source>PPKS:</source>
      <translation>PPKS:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="145" />
      <source>Criteria:</source>
      <translation>Kriteria:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="146" />
      <source>Notes:</source>
      <translation>Catatan:</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="259" />
      <location filename="../member_form.py" line="364" />
      <source>No problems found so far.</source>
      <translation>Belum ada masalah yang ditemukan.</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="291" />
      <source>Edit member: {name}</source>
      <translation>Ubah anggota: {name}</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="331" />
      <source>Temporary number: replace it with the NIK once it is issued.</source>
      <translation>Nomor sementara: ganti dengan NIK begitu NIK terbit.</translation>
    </message>
    <message>
      <location filename="../member_form.py" line="334" />
      <source>{n}/16 digits</source>
      <translation>{n}/16 digit</translation>
    </message>
  </context>
  <context>
    <name>OperatorWorkspace</name>
    <message>
      <location filename="../main_window.py" line="71" />
      <source>Family (F2)</source>
      <translation>Keluarga (F2)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="72" />
      <source>List (F3)</source>
      <translation>Daftar (F3)</translation>
    </message>
  </context>
  <context>
    <name>ProposalDialog</name>
    <message>
      <location filename="../proposal_dialog.py" line="53" />
      <source>New proposal</source>
      <translation>Usulan baru</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="63" />
      <source>The family (KK {kk})</source>
      <translation>Keluarga (KK {kk})</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="65" />
      <source>Member: {name}</source>
      <translation>Anggota: {name}</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="86" />
      <source>&amp;Target:</source>
      <translation>&amp;Sasaran:</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="87" />
      <source>&amp;Programme:</source>
      <translation>&amp;Program:</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="88" />
      <source>P&amp;engurus (receives the aid):</source>
      <translation>Pe&amp;ngurus (penerima bantuan):</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="89" />
      <source>T&amp;ype:</source>
      <translation>&amp;Jenis usulan:</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="90" />
      <source>&amp;Removal reason:</source>
      <translation>&amp;Alasan penghapusan:</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="91" />
      <source>&amp;Note:</source>
      <translation>&amp;Catatan:</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="102" />
      <source>Only the programmes that fit the target are offered. Enter saves, Esc closes.</source>
      <translation>Hanya program yang sesuai sasarannya yang ditawarkan. Enter menyimpan, Esc menutup.</translation>
    </message>
    <message>
      <location filename="../proposal_dialog.py" line="157" />
      <source>Proposal saved.</source>
      <translation>Usulan tersimpan.</translation>
    </message>
  </context>
  <context>
    <name>ProposalsTab</name>
    <message>
      <location filename="../review/proposals.py" line="102" />
      <source>Details</source>
      <translation>Rincian</translation>
    </message>
    <message>
      <location filename="../review/proposals.py" line="103" />
      <source>History (H)</source>
      <translation>Riwayat (H)</translation>
    </message>
  </context>
  <context>
    <name>ReasonDialog</name>
    <message>
      <location filename="../dialogs.py" line="39" />
      <source>Write the reason here (required).</source>
      <translation>Tulis alasannya di sini (wajib).</translation>
    </message>
    <message>
      <location filename="../dialogs.py" line="41" />
      <source>Ctrl+Enter to confirm, Esc to go back.</source>
      <translation>Ctrl+Enter untuk memastikan, Esc untuk kembali.</translation>
    </message>
  </context>
  <context>
    <name>RecordListView</name>
    <message>
      <location filename="../record_list.py" line="74" />
      <source>Families (Ctrl+1)</source>
      <translation>Keluarga (Ctrl+1)</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="75" />
      <source>Members (Ctrl+2)</source>
      <translation>Anggota (Ctrl+2)</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="76" />
      <source>Proposals (Ctrl+3)</source>
      <translation>Usulan (Ctrl+3)</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="79" />
      <source>Search: NIK, KK or name (Ctrl+F)</source>
      <translation>Cari: NIK, No. KK, atau nama (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="83" />
      <location filename="../record_list.py" line="157" />
      <source>All dusun</source>
      <translation>Semua dusun</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="86" />
      <source>Any sending state</source>
      <translation>Semua status kirim</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="89" />
      <source>Show deleted</source>
      <translation>Tampilkan yang dihapus</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="171" />
      <location filename="../record_list.py" line="175" />
      <location filename="../record_list.py" line="176" />
      <source>No. KK</source>
      <translation>No. KK</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="171" />
      <source>Head of family</source>
      <translation>Kepala keluarga</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="171" />
      <source>Members</source>
      <translation>Anggota</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="171" />
      <location filename="../record_list.py" line="175" />
      <location filename="../record_list.py" line="177" />
      <source>Dusun</source>
      <translation>Dusun</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="172" />
      <source>RT/RW</source>
      <translation>RT/RW</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="172" />
      <source>Address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="172" />
      <location filename="../record_list.py" line="175" />
      <location filename="../record_list.py" line="177" />
      <source>Sending</source>
      <translation>Status kirim</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="174" />
      <source>NIK / temporary no.</source>
      <translation>NIK / no. sementara</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="174" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="174" />
      <source>Born</source>
      <translation>Lahir</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="174" />
      <source>Sex</source>
      <translation>L/P</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="175" />
      <source>Relation</source>
      <translation>Hubungan</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="176" />
      <source>Programme</source>
      <translation>Program</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="176" />
      <source>Type</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="176" />
      <source>Target / pengurus</source>
      <translation>Sasaran / pengurus</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="177" />
      <source>Review</source>
      <translation>Verifikasi</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="215" />
      <source>families</source>
      <translation>keluarga</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="215" />
      <source>members</source>
      <translation>anggota</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="216" />
      <source>proposals</source>
      <translation>usulan</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="217" />
      <source>{total} {noun}</source>
      <translation>{total} {noun}</translation>
    </message>
    <message>
      <location filename="../record_list.py" line="218" />
      <source>{shown} of {total} {noun} shown</source>
      <translation>{shown} dari {total} {noun} ditampilkan</translation>
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