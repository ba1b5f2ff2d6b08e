"""Password hashing (argon2) and opaque tokens (random, stored only as a keyed hash)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Test fixtures only (passed explicitly): cheap parameters so a suite can create many accounts.
# Verification reads the parameters from the stored hash, so production hashes are unaffected.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Compared against when the username is unknown, so timing does not reveal which names exist."""
    return _hasher.hash("bukan-kata-sandi")


def hash_password(password: str, *, fast: bool = False) -> str:
    return (_fast_hasher if fast else _hasher).hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str, secret: str) -> str:
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
