"""First run of the GUI: which desa this PC records for, and who the operator is.

The GUI's first-run dialog calls `apply_first_run`; a provisioning file (the packaging issue)
can pre-fill the desa the same way, after which the dialog only asks to confirm.
"""

from __future__ import annotations

from desktop_app.context import AppContext


def needs_first_run(context: AppContext) -> bool:
    """True until a desa has been chosen for this store (Meta "desa_code" unset)."""
    return not context.desa_code


def apply_first_run(context: AppContext, desa_code: str, operator_name: str) -> None:
    """Store the desa and the operator's name in the store's Meta (ValueError on a bad desa code)."""
    context.configure(desa_code=desa_code, operator_name=" ".join(operator_name.split()))
