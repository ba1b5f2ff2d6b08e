"""The token goes to the OS keyring, or (no usable keyring) to memory only: never to a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop_app import credentials


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_token_round_trip_through_the_keyring() -> None:
    assert credentials.save_token("https://srv/", "op1", "tok-1") == "keyring"
    assert keyring.get_password(credentials.SERVICE, "https://srv|op1") == "tok-1"
    assert credentials.load_token("https://srv", "op1") == "tok-1"
    assert credentials.delete_token("https://srv", "op1")
    assert credentials.load_token("https://srv", "op1") is None
    assert not credentials.delete_token("https://srv", "op1")


def test_without_a_keyring_the_token_lives_in_memory_only(no_keyring: None, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert not credentials.keyring_usable()
    assert credentials.save_token("https://srv", "op2", "rahasia-token") == "memory"
    assert credentials.load_token("https://srv", "op2") == "rahasia-token"
    assert list(tmp_path.iterdir()) == []  # nothing written next to us
    assert credentials.delete_token("https://srv", "op2")
    assert credentials.load_token("https://srv", "op2") is None


def test_a_chainer_with_no_backends_is_not_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Headless Linux: the chainer is what keyring picks, and it chains nothing."""
    from keyring.backends import chainer

    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    previous = keyring.get_keyring()
    keyring.set_keyring(chainer.ChainerBackend())
    try:
        assert not credentials.keyring_usable()
        assert credentials.save_token("https://srv", "op3", "t") == "memory"
        assert credentials.load_token("https://srv", "op3") == "t"
    finally:
        keyring.set_keyring(previous)
        credentials.delete_token("https://srv", "op3")
