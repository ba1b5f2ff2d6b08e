"""First run of the GUI: which desa this PC records for, and who the operator is.

The GUI's first-run dialog calls `apply_first_run`. Its "Impor file provisioning…" button calls
`provision_from_file`, which sets the desa and the server from the file IT staff made with
`bansos-server provision`; the operator then only types their name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.context import AppContext

if TYPE_CHECKING:
    from desktop_app.provisioning import ImportResult


def needs_first_run(context: AppContext) -> bool:
    """True until a desa has been chosen for this store (Meta "desa_code" unset)."""
    return not context.desa_code


def apply_first_run(context: AppContext, desa_code: str, operator_name: str) -> None:
    """Store the desa and the operator's name in the store's Meta (ValueError on a bad desa code)."""
    context.configure(desa_code=desa_code, operator_name=" ".join(operator_name.split()))


def provision_from_file(context: AppContext, path: Path) -> ImportResult:
    """Validate and apply a provisioning file; ProvisioningError (Indonesian) when it cannot be used."""
    # Imported here: it pulls in the HTTP client (~0.1 s), which `bansos` must not pay before its window.
    from desktop_app.provisioning import apply_provisioning, load_provisioning_file

    return apply_provisioning(context, load_provisioning_file(Path(path)))
