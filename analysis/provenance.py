"""Where a result came from: the versions of the toolkit and of the libraries whose numbers flow into
it, a fingerprint of the code that computed it (cache keys), and the git state of the checkout."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

# The libraries whose versions decide the numbers of a stored or written result.
LIBRARIES = ("numpy", "scipy", "pandas", "scikit-learn", "gensim", "simplemma")


@cache
def _library_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def library_versions(libraries: Sequence[str] = LIBRARIES) -> dict[str, str | None]:
    """Installed version of each library (None when it is not installed)."""
    return {name: _library_version(name) for name in libraries}


def versions(libraries: Sequence[str] = LIBRARIES) -> dict[str, str | None]:
    """The version record of a result: `analysis` (this toolkit) and each library's version."""
    from analysis import __version__
    from analysis.kernels import kernel_record

    return {"analysis": __version__, **library_versions(libraries), "kernels": kernel_record()}


def code_fingerprint(*modules: str) -> str:
    """Hash of the source files of some modules or packages (a package: every .py file in it), so
    that a stored result is never reused once the code that made it has changed (read each time:
    a few files, and a module edited while a notebook runs counts)."""
    digest = hashlib.sha1()
    for name in sorted(modules):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ValueError(f"no module named {name!r}")
        origin = Path(spec.origin)
        files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
        for f in files:
            digest.update(f.name.encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def method_code(module: str) -> tuple[str, str]:
    """The code a method's stored results depend on: the method (the package or module right under
    `analysis` that `module` belongs to, e.g. analysis.trends for analysis.trends.terms) and
    analysis.preprocess, which made its input."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "analysis":
        raise ValueError(f"{module!r} is not a module of the analysis package")
    return (".".join(parts[:2]), "analysis.preprocess")


def toolkit_root() -> Path:
    """The folder that holds the `analysis` package (the project root in a checkout)."""
    return Path(__file__).resolve().parents[1]


# What a figure depends on: dirty means one of these differs from the commit. Output folders
# (figures/, reports/) are left out, or saving the first figure would make the tree dirty.
_DIRTY_PATHS = ("analysis", "notebooks", "corpus", "pyproject.toml")


def git_state(root: Path | None = None) -> dict[str, Any]:
    """`{"commit": sha or None, "dirty": bool or None}` of the toolkit's checkout.

    dirty is true when the code, notebooks or corpora have changes that are not committed
    (untracked files included); both are None outside a git checkout or without git.
    """
    root = Path(root or toolkit_root())
    try:
        commit = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root,
                                capture_output=True, text=True, timeout=30)
        if commit.returncode != 0:
            inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root,
                                    capture_output=True, text=True, timeout=30)
            if inside.returncode != 0:
                return {"commit": None, "dirty": None}
            sha = None  # a repository without commits yet
        else:
            sha = commit.stdout.strip() or None
        status = subprocess.run(["git", "status", "--porcelain", "--", *_DIRTY_PATHS], cwd=root,
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    if status.returncode != 0:
        return {"commit": sha, "dirty": None}
    return {"commit": sha, "dirty": bool(status.stdout.strip())}


__all__ = ["LIBRARIES", "code_fingerprint", "git_state", "library_versions", "method_code", "toolkit_root",
           "versions"]
