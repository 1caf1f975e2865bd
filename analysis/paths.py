"""Where things are: the project root, and paths given relative to it."""

from __future__ import annotations

import os
import re
from pathlib import Path

CACHE_ENV = "ANALYSIS_CACHE_DIR"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")  # also a URL after Path() (file:/x)


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


def local_path(path: str | Path, what: str = "the path") -> Path:
    """`path`, or an fsspec URL of a file system this machine mounts (``file://...``), as a path
    (every worker must see the same path: a local disk or a shared mount). Another URL (s3://, gs://,
    ...) is refused with a message naming `what`, never written to a folder named after it."""
    from analysis.errors import ParameterError

    text = str(path)
    if not _URL.match(text):
        return Path(path)
    try:
        import fsspec
        from fsspec.implementations.local import LocalFileSystem
    except ImportError:
        raise ParameterError(f"{what} {text!r} is a URL; reading URLs needs fsspec (pip install fsspec), "
                             "or give a path.") from None
    if text.startswith("file:/") and not text.startswith("file://"):
        text = "file://" + text[len("file:"):]  # Path() made file:///x into file:/x
    try:
        fs, root = fsspec.core.url_to_fs(text)
    except (ImportError, ValueError) as exc:
        raise ParameterError(f"{what} {text!r}: not a URL this toolkit can use ({exc}); give a path or a "
                             "file:// URL of a folder every worker sees.") from None
    if not isinstance(fs, LocalFileSystem):
        raise ParameterError(f"{what} must be a path or a file:// URL of a folder every worker sees (a local "
                             f"disk or a shared mount such as NFS); {fs.protocol!r} URLs are not supported; "
                             f"got {text!r}.")
    return Path(root)


def default_cache_dir() -> Path:
    """`$ANALYSIS_CACHE_DIR`, else `$XDG_CACHE_HOME/security-discourse-toolkit`, else ~/.cache/..."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "security-discourse-toolkit"
