"""`manifest.json`: what a run read and what it wrote, so a document can be traced
back to the exact files behind it.

Every input file (path, size, sha256, what became of it), every output (sha256)
and the versions of the tools. No clock time: the same inputs give the same
manifest.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.core.files import write_json
from pipeline.core.model import ReturnFiles, ReturnStatus, ValidationResult
from pipeline.intake.contract import SETTINGS_FILE
from pipeline.intake.ingest import OFFICE_FILES, display_name, display_names, is_lock_file
from pipeline.intake.registry import find_registry
from pipeline.vn.periods import Period

MANIFEST_FILE = "manifest.json"
# The project and the libraries whose versions can change what a document says.
TOOLS = ("pipeline", "jinja2", "docxtpl", "python-docx", "openpyxl", "python-calamine", "pandas", "babel", "pyyaml",
         "vietnam-provinces")

_STATUS = {
    ReturnStatus.VALID: "valid",
    ReturnStatus.INVALID: "invalid",
    ReturnStatus.SUPERSEDED: "superseded",
    ReturnStatus.SAME_DATE: "same-date",
}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_entry(path: Path, root: Path) -> dict[str, Any]:
    return {"path": display_name(path.relative_to(root).as_posix()), "size": path.stat().st_size,
            "sha256": file_sha256(path)}


def _input_statuses(validation: ValidationResult) -> dict[str, dict[str, Any]]:
    """By file name: the size and SHA-256 of the bytes read (null when none could
    be), the return's status, its commune and, when superseded, the file counted instead."""
    counted = {o.code: o.file for o in validation.outcomes if o.code and o.status is not ReturnStatus.SUPERSEDED}
    statuses: dict[str, dict[str, Any]] = {}
    for outcome in validation.outcomes:
        digest = outcome.digest
        entry: dict[str, Any] = {"size": digest and digest.size, "sha256": digest and digest.sha256,
                                 "status": _STATUS[outcome.status], "unit_code": outcome.code,
                                 "errors": len(outcome.errors)}
        if outcome.status is ReturnStatus.SUPERSEDED:
            entry["replaced_by"] = counted.get(outcome.code)
        statuses[outcome.file] = entry
    return statuses


def _period_files(period_dir: Path) -> list[Path]:
    if not period_dir.is_dir():
        return []
    return sorted((p for p in period_dir.iterdir() if p.is_file()), key=lambda p: p.name)


def _other_status(path: Path) -> str:
    if is_lock_file(path):
        return "lock-file-skipped"
    if path.name in OFFICE_FILES:
        return "office-settings"
    return "not-a-return"


OFFICIAL_LIST_PACKAGE = "vietnam_provinces"


def official_list_date() -> str:
    """`vietnam_provinces.__data_version__`, read from the package's `__init__.py`:
    importing the package loads its tables of every unit in the country, a tenth
    of a district's whole run, for one date. Imported after all only when the file
    does not set it as a plain string."""
    spec = importlib.util.find_spec(OFFICIAL_LIST_PACKAGE)
    if spec is not None and spec.origin:
        try:
            tree = ast.parse(Path(spec.origin).read_bytes())
        except (OSError, SyntaxError, ValueError):
            tree = None
        for node in tree.body if tree else ():
            if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__data_version__"
                                                     for t in node.targets)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                return node.value.value
    from pipeline.intake.official_units import DATA_VERSION

    return DATA_VERSION


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    # `make don-vi` writes the registry from this list: the date it was taken traces its units.
    versions["vietnam-provinces-data"] = official_list_date()
    return versions


def build_manifest(period: Period, inputs: Path, files: ReturnFiles, validation: ValidationResult, folder: Path,
                   written: Iterable[Path]) -> dict[str, Any]:
    """`files`: the returns the run read, by the names its outcomes carry; a return is
    matched to its outcome by its exact path, never by a name two files could share."""
    statuses = _input_statuses(validation)
    run_names = {path: name for name, path in files.returns}
    input_entries = []
    for path, status in ((find_registry(inputs), "registry"), (inputs / SETTINGS_FILE, "office-settings")):
        if path.is_file():
            input_entries.append({**_file_entry(path, inputs), "status": status})
    period_files = _period_files(inputs / period.code)
    names = {**display_names(period_files), **run_names}
    for path in period_files:
        path_name = {"path": f"{period.code}/{names[path]}"}
        if path in run_names:  # a return: the digest of the bytes its figures came from
            input_entries.append({**path_name, **statuses[run_names[path]]})
        else:
            input_entries.append({**_file_entry(path, inputs), **path_name, "status": _other_status(path)})
    outputs = sorted({path for path in written if path.name != MANIFEST_FILE})
    return {
        "period": period.code,
        "inputs": input_entries,
        "outputs": [_file_entry(path, folder) for path in outputs],
        "tools": tool_versions(),
    }


def write_manifest(manifest: dict[str, Any], folder: Path) -> Path:
    return write_json(folder / MANIFEST_FILE, manifest)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("outputs"), list) else None


def recorded_outputs(folder: Path) -> dict[str, tuple[int, str]]:
    """Path inside `folder` → (size, sha256) of every output its manifest records;
    nothing when it has none that can be read."""
    manifest = _read_manifest(folder) or {"outputs": []}
    recorded = {}
    for entry in manifest["outputs"]:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            recorded[entry["path"]] = (entry.get("size"), entry.get("sha256"))
    return recorded


def record_outputs(folder: Path, period: Period, written: Iterable[Path]) -> Path:
    """Record files written after the run (the PDF copies, the run page that links
    them, the blank forms) in the manifest of `folder`, started if there is none."""
    manifest = _read_manifest(folder) or {"period": period.code, "inputs": [], "outputs": [], "tools": tool_versions()}
    entries = {entry["path"]: entry for entry in manifest["outputs"]}
    entries.update((entry["path"], entry) for entry in (_file_entry(p, folder) for p in written))
    manifest["outputs"] = [entries[name] for name in sorted(entries)]
    return write_manifest(manifest, folder)
