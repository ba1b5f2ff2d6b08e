"""Where the desktop app keeps its files.

Default data dir: the OS user-data dir for "BansosDesa" (platformdirs), e.g.
`%LOCALAPPDATA%\\BansosDesa` on Windows, `~/.local/share/BansosDesa` on Linux. The environment
variable BANSOS_DATA_DIR overrides it (provisioning, tests); `--data-dir` overrides both.
The store must live on a local disk (design.md §5), never a network share.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "BansosDesa"
DB_FILE_NAME = "bansos.sqlite3"
PROGRAMMES_FILE_NAME = "programmes.json"  # optional provincial/regency programmes
ENV_DATA_DIR = "BANSOS_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    return Path(data_dir).expanduser() if data_dir else default_data_dir()


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_FILE_NAME


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def programmes_file(data_dir: Path) -> Path:
    return data_dir / PROGRAMMES_FILE_NAME
