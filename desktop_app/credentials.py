"""The server token: in the OS keyring, or in memory only for this session.

Where no keyring backend works (headless Linux: keyring.backends.fail, or a chainer with no
backends), the token is kept in this process's memory and the operator is asked again in the
next session (or `BANSOS_PASSWORD` is used by scripts). It is never written to a plain file,
never logged.

The server URL and user name are not secrets; they live in the store's Meta table.
"""

from __future__ import annotations

import logging
import threading

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "bansos-desa"

_memory: dict[str, str] = {}
_memory_lock = threading.Lock()


def _account(server_url: str, username: str) -> str:
    return f"{server_url.rstrip('/')}|{username}"


def keyring_usable() -> bool:
    """False for the fail backend and for a chainer that has nothing to chain."""
    try:
        kr = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        return False
    mod = type(kr).__module__
    if mod.startswith("keyring.backends.fail") or mod.startswith("keyring.backends.null"):
        return False
    if mod.startswith("keyring.backends.chainer"):
        return bool(getattr(kr, "backends", []))
    try:
        return float(getattr(kr, "priority", 1)) > 0
    except (TypeError, ValueError):
        return True


def save_token(server_url: str, username: str, token: str) -> str:
    """Store the token; returns "keyring" or "memory" (where it went)."""
    acct = _account(server_url, username)
    if keyring_usable():
        try:
            keyring.set_password(SERVICE, acct, token)
            with _memory_lock:
                _memory.pop(acct, None)
            return "keyring"
        except KeyringError as e:
            log.warning("keyring refused the token (%s); keeping it in memory for this session", type(e).__name__)
    with _memory_lock:
        _memory[acct] = token
    return "memory"


def load_token(server_url: str, username: str) -> str | None:
    acct = _account(server_url, username)
    with _memory_lock:
        if acct in _memory:
            return _memory[acct]
    if not keyring_usable():
        return None
    try:
        return keyring.get_password(SERVICE, acct)
    except KeyringError as e:
        log.warning("keyring could not be read (%s)", type(e).__name__)
        return None


def delete_token(server_url: str, username: str) -> bool:
    """Forget the token everywhere; True when one was found."""
    acct = _account(server_url, username)
    found = False
    with _memory_lock:
        found = _memory.pop(acct, None) is not None
    if keyring_usable():
        try:
            keyring.delete_password(SERVICE, acct)
            found = True
        except PasswordDeleteError:
            pass
        except KeyringError as e:
            log.warning("keyring could not delete the token (%s)", type(e).__name__)
    return found
