"""The package layout is the data flow: a module imports only its own package and
the layers under it (see pipeline/__init__.py). An import that goes up, or from
intake to render and back, fails here with the file and line."""

import ast
from pathlib import Path

import pipeline

PACKAGE = Path(pipeline.__file__).parent

# Lowest first; packages on one layer may not import each other.
LAYERS = (
    ("vn",),
    ("core",),
    ("intake", "render"),
    ("figures",),
    ("documents",),
    ("run",),
    ("cli",),
    ("__main__",),
)
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}


def _top(module: str) -> str | None:
    """`pipeline.intake.cells` -> `intake`; None for other packages."""
    parts = module.split(".")
    return parts[1] if parts[0] == "pipeline" and len(parts) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative imports would hide the layer a name comes from
                found.append((node.lineno, f".{node.module}"))
            elif node.module == "pipeline":
                found += [(node.lineno, f"pipeline.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        own = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        if own == "__init__":
            continue
        for line, module in _imports(path):
            if module.startswith("."):
                found.append(f"{relative}:{line}: relative import {module}")
                continue
            target = _top(module)
            if target is None or target == own:
                continue
            if target not in LAYER:
                found.append(f"{relative}:{line}: {module} is in no layer")
            elif LAYER[target] >= LAYER[own]:
                found.append(f"{relative}:{line}: {own} (layer {LAYER[own]}) imports {module} "
                             f"(layer {LAYER[target]})")
    return found


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert packages | modules == set(LAYER)


def test_imports_go_down_the_layers():
    assert _violations() == []


def test_every_subpackage_says_what_it_owns_and_what_it_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} has no docstring"
        name = init.parent.name
        if name != "vn":
            assert f"Layer {LAYER[name]}" in doc, f"{init} does not state its layer"


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The test above could pass by reading nothing: plant a violation and see it named."""
    fake = tmp_path / "pipeline"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "model.py").write_text("from pipeline.run.lock import period_lock\n"
                                            "from pipeline import documents\n", encoding="utf-8")
    (fake / "vn").mkdir()
    (fake / "vn" / "numbers.py").write_text("from .dates import x\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert _violations() == [
        "core/model.py:1: core (layer 1) imports pipeline.run.lock (layer 5)",
        "core/model.py:2: core (layer 1) imports pipeline.documents (layer 4)",
        "vn/numbers.py:1: relative import .dates",
    ]
