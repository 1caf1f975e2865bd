"""The package's shape: methods stay independent, plots live in figures, files stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
METHODS = ("topics", "trends", "framing")
MAX_LINES = 600


def _imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved), at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _method_files(method: str) -> list[Path]:
    root = PACKAGE / method
    return sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]


@pytest.mark.parametrize("method", METHODS)
def test_a_method_imports_no_other_method_no_matplotlib_and_no_figures(method):
    forbidden = [f"analysis.{other}" for other in METHODS if other != method]
    forbidden += ["analysis.figures", "analysis.reports", "analysis.cli", "matplotlib"]
    offences = []
    for path in _method_files(method):
        for name in sorted(_imports(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                offences.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not offences, "\n".join(offences)


def test_lower_layers_import_no_method_and_no_figures():
    offences = []
    for room in ("corpus", "preprocess"):
        for path in sorted((PACKAGE / room).rglob("*.py")):
            for name in sorted(_imports(path)):
                if any(name == f"analysis.{up}" or name.startswith(f"analysis.{up}.")
                       for up in (*METHODS, "figures", "reports", "cli", "demo")):
                    offences.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    # corpus is the bottom room: it does not import preprocess either
    for path in sorted((PACKAGE / "corpus").rglob("*.py")):
        offences += [f"{path.relative_to(PACKAGE.parent)} imports {n}" for n in sorted(_imports(path))
                     if n == "analysis.preprocess" or n.startswith("analysis.preprocess.")]
    assert not offences, "\n".join(offences)


def test_matplotlib_is_imported_only_by_the_figures_package():
    offences = [f"{path.relative_to(PACKAGE.parent)} imports {name}"
                for path in sorted(PACKAGE.rglob("*.py"))
                if "figures" not in path.relative_to(PACKAGE).parts
                for name in sorted(_imports(path)) if name == "matplotlib" or name.startswith("matplotlib.")]
    assert not offences, "\n".join(offences)


def test_no_file_in_the_package_is_over_600_lines():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in sorted(PACKAGE.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
