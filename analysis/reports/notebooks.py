"""Which notebooks a report runs and where it writes: the notebooks folder (the project's, or the
one beside the installed package), the user's selection by name or number, each notebook's
papermill parameters, and the default output folders for a corpus."""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from pathlib import Path

from analysis.errors import ParameterError, UserError
from analysis.paths import package_root, resolve

NOTEBOOK_DIR = "notebooks"
DEMO_CORPUS = "corpus/demo"


def notebooks_dir(folder: str | Path | None = None) -> Path:
    """The notebooks folder: `folder`; else the project's `notebooks/` when the working
    directory is inside the project, else the one shipped beside the installed package (so the
    report runs from any folder)."""
    if folder is not None:
        path = resolve(folder)
        if not path.is_dir():
            raise UserError(f"{path}: no notebooks folder (`notebook_dir`).")
        return path
    for path in (resolve(NOTEBOOK_DIR), package_root() / NOTEBOOK_DIR):
        if path.is_dir() and any(path.glob("*.ipynb")):
            return path
    raise UserError(f"no notebooks folder: neither {resolve(NOTEBOOK_DIR)} nor "
                    f"{package_root() / NOTEBOOK_DIR} exists; reinstall the toolkit from its "
                    "checkout (`pip install -e .`).")


def is_demo(corpus: str | Path) -> bool:
    """Whether `corpus` is the project's embedded demo corpus."""
    try:
        return Path(corpus).resolve() == (package_root() / DEMO_CORPUS).resolve()
    except OSError:
        return False


def default_outputs(corpus: str | Path) -> tuple[Path, Path]:
    """Where a report goes when `--out`/`--figures` are not given: the project's `reports/`
    and `figures/` for the demo corpus; for any other corpus a folder `<name>-report/` (with
    `figures/` inside) beside the corpus when that folder is writable, else in the working
    directory. A user's corpus never writes into the project's committed `figures/`."""
    corpus = Path(corpus).resolve()
    if is_demo(corpus):
        root = package_root()
        return root / "reports", root / "figures"
    name = f"{corpus.stem if corpus.is_file() else corpus.name}-report"
    parent = corpus.parent
    base = parent if os.access(parent, os.W_OK) and not _inside(parent, package_root() / "figures") \
        else Path.cwd()
    out = base / name
    return out, out / "figures"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def available_notebooks(folder: Path | None = None) -> list[str]:
    """Names (file stems) of the notebooks, in file-name order."""
    folder = folder or notebooks_dir()
    return sorted(p.stem for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def select_notebooks(names: Sequence[str] | str | None, available: Sequence[str]) -> list[str]:
    """Notebook names from a user's selection: full names, names with `.ipynb`, or number
    prefixes such as "01" (a comma-separated string works too); all of them for None."""
    if names is None:
        if not available:
            raise UserError("no notebooks found in notebooks/.")
        return list(available)
    if isinstance(names, str):
        names = [n for n in names.split(",")]
    chosen: list[str] = []
    for raw in names:
        name = str(raw).strip().removesuffix(".ipynb")
        name = Path(name).name
        if not name:
            continue
        matches = [a for a in available if a == name] or \
            [a for a in available if a.startswith(name + "_") or a.split("_", 1)[0] == name]
        if len(matches) != 1:
            what = "matches no notebook" if not matches else f"matches {', '.join(matches)}"
            raise ParameterError(f"`notebooks`: {raw!r} {what}; choose from "
                                 f"{', '.join(available) or '(none)'} (or their numbers, e.g. 01).")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    if not chosen:
        raise ParameterError("`notebooks` selects no notebook.")
    return sorted(chosen, key=list(available).index)


def notebook_parameters(path: Path) -> list[str]:
    """Names assigned in a notebook's `parameters`-tagged cell (what papermill can override)."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # an unreadable or invalid notebook file
        raise UserError(f"{path}: not a readable notebook ({exc}).") from None
    cells = [c for c in nb.cells
             if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise UserError(f"{path}: no cell is tagged 'parameters'; tag the first code cell "
                        "(it defines CORPUS, FIGURES and SEED) so the report can set them.")
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise UserError(f"{path}: the parameters cell is not valid Python ({exc.msg}, line "
                        f"{exc.lineno}).") from None
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


__all__ = ["DEMO_CORPUS", "NOTEBOOK_DIR", "available_notebooks", "default_outputs", "is_demo",
           "notebook_parameters", "notebooks_dir", "select_notebooks"]
