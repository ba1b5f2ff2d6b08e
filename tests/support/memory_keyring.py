"""An in-memory keyring backend, so neither a test nor the screenshot script touches a real keychain.

Deleting a missing password raises PasswordDeleteError, as the OS backends do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


class FileKeyring(MemoryKeyring):
    """The test keyring shared with the test's subprocesses (`bansos` in a real process).

    A JSON file named by KEYRING_TEST_FILE; subprocesses load this class through
    PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.FileKeyring. Tests only: a real PC's store key
    lives in the OS keyring.
    """

    ENV = "KEYRING_TEST_FILE"  # not BANSOS_*: tests strip those from a subprocess env

    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.path = Path(path or os.environ[self.ENV])

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x1f{username}"] = password
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if f"{service}\x1f{username}" not in data:
            raise PasswordDeleteError("not found")
        del data[f"{service}\x1f{username}"]
        self.path.write_text(json.dumps(data), encoding="utf-8")


def use_file_keyring(directory: Path) -> Path:
    """For scripts (benchmarks, screenshots): a FileKeyring in `directory` for this process and the
    `bansos` subprocesses it starts, as a PC's OS keyring serves all its processes. Returns its path."""
    import keyring

    path = Path(directory) / "keyring.json"
    os.environ[FileKeyring.ENV] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = f"{FileKeyring.__module__}.{FileKeyring.__qualname__}"
    keyring.set_keyring(FileKeyring(str(path)))
    return path
