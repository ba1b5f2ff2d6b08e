"""The one NIK/KK mask for printed and public output."""

from __future__ import annotations

from domain.masking import mask_id


def test_keeps_the_kecamatan_and_the_serial_only() -> None:
    assert mask_id("1902014905780001") == "190201******0001"
    assert mask_id("19.0201.490578.0001") == "190201******0001"  # separators as typed


def test_a_malformed_number_is_hidden_whole() -> None:
    assert mask_id("19020149057800") == "*" * 14
    assert mask_id("12") == "****"
    assert mask_id("") == ""
