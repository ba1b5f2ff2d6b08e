"""The one place the version lives (pyproject, `bansos --version` and the installer read it)."""

__version__ = "0.1.0"
