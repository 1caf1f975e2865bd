"""Where things are: the project root, and paths given relative to it."""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working directory) that holds
    `pyproject.toml` and `analysis/`; the working directory when there is none."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "analysis").is_dir():
            return folder
    return here


def resolve(path: str | Path) -> Path:
    """An absolute path: relative paths are taken from the project root, so notebooks run
    the same from `notebooks/` (nbconvert by hand) and from the root (the report command)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else project_root() / p


def package_root() -> Path:
    """The folder holding the `analysis` package (the project checkout for an editable install)."""
    return Path(__file__).resolve().parents[1]
