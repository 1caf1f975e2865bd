"""Run one benchmark stage in a fresh Python process and report its time and peak memory."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results"


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its finished children, in MB."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"peak_mb": round(self_kb / 1024, 1), "peak_children_mb": round(child_kb / 1024, 1)}


def vm_hwm_mb() -> float:
    """Peak resident memory of this process (MB): VmHWM, which starts afresh at exec (ru_maxrss
    on Linux keeps the parent's peak across fork + exec, so it cannot be used in a child)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_share(path: str, fraction: float):
    """The corpus at `path`, or its first `fraction` of documents (at least one)."""
    from analysis.corpus import load_corpus

    corpus = load_corpus(path)
    if fraction < 1.0:
        n = max(1, int(len(corpus) * fraction))
        corpus = corpus.subset([i < n for i in range(len(corpus))])
    return corpus


def emit(result: dict) -> None:
    """Print a stage result as the last stdout line (read by `run_stage`)."""
    result.update(peak_rss_mb())
    print("RESULT " + json.dumps(result), flush=True)


def run_stage(script: Path, *args: str, env: dict | None = None) -> dict:
    """Run `script --stage ...` in a new interpreter; return its RESULT record plus wall seconds."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"stage {args} failed:\n{proc.stderr[-3000:]}")
    line = next(ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("RESULT "))
    record = json.loads(line[len("RESULT "):])
    record["wall_seconds"] = round(wall, 2)
    return record


def machine() -> dict:
    """Core count, platform and the versions of the libraries that matter."""
    libs = {}
    for name in ("numpy", "pandas", "scipy", "scikit-learn", "gensim", "nltk", "simplemma", "tomotopy",
                 "matplotlib"):
        try:
            libs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libs[name] = None
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "libraries": libs}


def table(rows: list[dict], columns: list[str]) -> str:
    """A plain-text table of `rows` with `columns`."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)
