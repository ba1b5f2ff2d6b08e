"""The reviewer's flag catalogue (desktop_app.review.flags), keyed by domain.flags.FlagCode."""

from __future__ import annotations

import pytest

from desktop_app.review.flags import FLAG_INFO, explain_flag, flag_key
from domain.flags import FlagCode
from sync.review_protocol import FLAG_TEXT


@pytest.mark.parametrize(("code", "title"), [
    ("DUP_NIK", "NIK sama di desa lain"),
    ("DUP_KK", "KK sama / usulan ganda"),
    ("DUP_PERSON", "Kemungkinan orang yang sama"),
    ("REF_MATCH", "Sudah penerima bantuan lain"),
    ("REF_REJECT", "Ditolak otomatis: penerima bantuan pusat"),
    ("EDITED_AFTER_APPROVAL", "Diubah setelah disetujui"),
    ("RESUBMITTED", "Dikirim ulang setelah perbaikan"),
    ("CONFLICT_SOFT", "Perubahan digabung otomatis"),
    ("CONFLICT_HARD", "Konflik data"),
    ("DATA_WARNING", "Peringatan data"),
    ("OVERRIDE", "Disimpan walau mirip data lain"),
    ("DUP_OTHER_KEPT", "Duplikat: data desa lain dipertahankan"),
])
def test_every_server_flag_has_an_indonesian_explanation(code: str, title: str) -> None:
    f = explain_flag(code)
    assert f.title == title
    assert len(f.explanation) > 40  # a sentence, not a code
    assert flag_key(code) == f.code


def test_unknown_flag_is_still_shown() -> None:
    f = explain_flag("SOMETHING_NEW")
    assert f.title == "SOMETHING_NEW" and "periksa" in f.explanation


def test_every_flag_the_server_can_set_is_explained() -> None:
    missing = [code for code in FLAG_TEXT if flag_key(code) not in FLAG_INFO]
    assert missing == []


def test_every_flag_code_has_an_explanation() -> None:
    assert [code for code in FlagCode if code not in FLAG_INFO] == []
