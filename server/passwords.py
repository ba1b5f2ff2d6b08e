"""Password strength for server accounts: a minimum length and a check against common passwords.

The list is shipped (no network at runtime): the most common passwords of public breach corpora
plus Indonesian favourites. A password is refused when it, or its letters without the digits and
symbols around them ("sayang123456!" -> "sayang"), is on the list, when it is one short unit
repeated, or when it is only digits.
"""

from __future__ import annotations

import re

MIN_LENGTH = 12

_COMMON_TEXT = """
123456 123456789 12345678 1234567890 12345 1234567 123123 111111 000000 654321 666666 121212 112233
123321 987654321 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwerty qwertyuiop qwerty123 asdfgh asdfghjkl zxcvbnm
abc123 abcdef abcd1234 password passw0rd p@ssw0rd password1 password123 pass admin administrator
admin123 root toor letmein welcome welcome1 login master monkey dragon football baseball shadow
sunshine princess iloveyou trustno1 superman batman starwars whatever freedom qazwsx michael jennifer
hunter charlie donald secret changeme default guest test tester testing user demo server computer
internet samsung google apple android iphone nokia love lovely hello hello123 killer soccer hockey
ranger buster thomas jordan harley robert daniel pepper ginger summer winter spring autumn flower
indonesia jakarta surabaya bandung medan bali garuda merdeka pancasila nusantara bismillah alhamdulillah
insyaallah allahuakbar subhanallah assalamualaikum sayang sayangku cinta cintaku kasih rahasia
rahasiaku katasandi sandi kunci masuk bebas aman sukses selamat bahagia semangat keluarga anakku
ganteng cantik manis bunda ayah ibu bapak mama papa kakak adik sahabat teman rindu setia jodoh
indah dewi putri putra agus budi joko wahyu siti nur sri tuhan allah muhammad ahmad
bansos bansosdesa desa kelurahan kecamatan kabupaten provinsi operator reviewer supervisor pendamping
verifikator petugas kantor kantordesa pemdes balaidesa kepaladesa sekdes
qwer1234 asdf1234 zxcv1234 aaaaaa abcabc a1b2c3 aa123456 q1w2e3r4 zaq12wsx passpass
"""
COMMON: frozenset[str] = frozenset(_COMMON_TEXT.split())
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def weakness(password: str) -> str | None:
    """Why a password is too weak (Indonesian, for the person choosing it), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Kata sandi paling sedikit {MIN_LENGTH} karakter."
    low = password.lower()
    core = _EDGES.sub("", low)
    if low in COMMON or core in COMMON or _repeats(low) or _repeats(core):
        return "Kata sandi terlalu umum atau mudah ditebak; pakai gabungan beberapa kata yang tidak berhubungan."
    if low.isdigit():
        return "Kata sandi tidak boleh hanya angka."
    return None


def _repeats(s: str) -> bool:
    """One short unit repeated ("aaaaaaaaaaaa", "abcabcabcabc", "sayangsayang")."""
    if not s:
        return True
    for n in range(1, len(s) // 2 + 1):
        if len(s) % n == 0 and s[:n] * (len(s) // n) == s and (n < 4 or s[:n] in COMMON):
            return True
    return False
