"""Validation findings: errors block saving, warnings are shown and recorded with the entry."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. `code` is stable (for tests, logs and the wire); `message` is Indonesian."""

    field: str
    code: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return d


def error(field: str, code: str, message: str) -> Issue:
    return Issue(field, code, message, Severity.ERROR)


def warning(field: str, code: str, message: str) -> Issue:
    return Issue(field, code, message, Severity.WARNING)
