"""The outcome of checking one record: errors block saving, warnings are shown and recorded with it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.issues import Issue


@dataclass(slots=True)
class Findings:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, *issues: Issue | None) -> None:
        """Sort each issue into errors or warnings; None (a check that passed) is skipped."""
        for i in issues:
            if i is not None:
                (self.errors if i.is_error else self.warnings).append(i)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.add(*issues)

    def first_error_for(self, fld: str) -> Issue | None:
        return next((i for i in self.errors if i.field == fld), None)

    def codes(self) -> list[tuple[str, str]]:
        """(field, code) of every finding, errors first (for tests and logs: no personal data)."""
        return [(i.field, i.code) for i in (*self.errors, *self.warnings)]
