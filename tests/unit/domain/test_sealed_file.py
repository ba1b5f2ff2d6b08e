"""Sealed files (the batch-file format of issue 17): opened only by their recipient, only when whole,
unchanged and from a known sender of the same desa; every refusal says why in Indonesian."""

from __future__ import annotations

import pytest

from domain.sealed_file import (
    MAGIC,
    FileKind,
    KeyPair,
    PublicKeys,
    Refusal,
    SealedFileRefused,
    open_sealed,
    seal,
)

DESA, OTHER_DESA = "1902012003", "1902012004"
SERVER, DEVICE, OTHER_DEVICE = KeyPair.generate(), KeyPair.generate(), KeyPair.generate()
BODY = {"batches": [{"batch_id": "b-1", "ops": [{"op_id": "o-1", "payload": {"nik": "1902015708850001"}}]}]}
REGISTERED = {"dev-a": (DEVICE.public(), DESA), "dev-b": (OTHER_DEVICE.public(), OTHER_DESA)}


def batch_file(sender: str = "dev-a", keys: KeyPair = DEVICE, desa: str = DESA, recipient: str = "server",
               recipient_keys: PublicKeys | None = None) -> bytes:
    return seal(BODY, kind=FileKind.BATCHES, sender=sender, sender_keys=keys, recipient=recipient,
                recipient_keys=recipient_keys or SERVER.public(), desa_code=desa)


def open_at_server(data: bytes, kind: FileKind = FileKind.BATCHES) -> object:
    return open_sealed(data, kind=kind, recipient="server", recipient_keys=SERVER, sender_of=REGISTERED.get,
                       name="kirim.bansos")


def refusal(data: bytes, kind: FileKind = FileKind.BATCHES) -> SealedFileRefused:
    with pytest.raises(SealedFileRefused) as info:
        open_at_server(data, kind)
    assert "kirim.bansos" in info.value.message
    return info.value


def test_round_trip_and_nothing_readable_in_the_file() -> None:
    data = batch_file()
    assert b"1902015708850001" not in data and b"o-1" not in data
    opened = open_sealed(data, kind=FileKind.BATCHES, recipient="server", recipient_keys=SERVER,
                         sender_of=REGISTERED.get)
    assert opened.body == BODY and opened.header["sender"] == "dev-a" and opened.header["desa_code"] == DESA


def test_public_keys_travel_as_text() -> None:
    pub = DEVICE.public()
    assert PublicKeys.from_text(pub.to_text()) == pub
    with pytest.raises(ValueError):
        PublicKeys.from_text("ed25519:AAAA;x25519:AAAA")


def test_every_changed_byte_is_refused() -> None:
    data = batch_file()
    for i in range(len(MAGIC), len(data), max(1, len(data) // 97)):
        bad = bytearray(data)
        bad[i] ^= 0x01
        assert refusal(bytes(bad)).reason in (Refusal.TAMPERED, Refusal.TRUNCATED, Refusal.WRONG_KIND,
                                              Refusal.WRONG_RECIPIENT, Refusal.UNKNOWN_SENDER, Refusal.OTHER_DESA), i
    assert refusal(data + b"\x00").reason == Refusal.TAMPERED


def test_every_truncation_is_refused() -> None:
    data = batch_file()
    for n in [0, 5, len(MAGIC), len(MAGIC) + 3, len(data) // 2, len(data) - 64, len(data) - 1]:
        r = refusal(data[:n]).reason
        assert r in (Refusal.TRUNCATED, Refusal.NOT_A_FILE) if n == 0 else r == Refusal.TRUNCATED, n
    assert "terpotong" in refusal(data[:-1]).message


def test_a_file_for_someone_else_is_refused() -> None:
    assert refusal(batch_file(recipient="server-lain")).reason == Refusal.WRONG_RECIPIENT
    # The right name on the header but sealed to another key: it does not decrypt.
    assert refusal(batch_file(recipient_keys=KeyPair.generate().public())).reason == Refusal.TAMPERED


def test_senders_are_checked() -> None:
    assert refusal(batch_file(sender="dev-x")).reason == Refusal.UNKNOWN_SENDER
    # Signed with another device's key while naming dev-a.
    assert refusal(batch_file(keys=OTHER_DEVICE)).reason == Refusal.TAMPERED
    # dev-b is registered for another desa: its file claiming this desa is refused.
    e = refusal(batch_file(sender="dev-b", keys=OTHER_DEVICE, desa=DESA))
    assert e.reason == Refusal.OTHER_DESA and "desa lain" in e.message


def test_a_reply_is_not_taken_for_a_batch_file_and_junk_is_not_a_file() -> None:
    assert refusal(batch_file(), kind=FileKind.REPLY).reason == Refusal.WRONG_KIND
    assert refusal(b"PK\x03\x04 not ours" * 10).reason == Refusal.NOT_A_FILE
