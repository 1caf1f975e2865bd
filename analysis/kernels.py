"""Pinned numeric kernels, so that a rerun on another x86-64 machine gives the same bytes.

OpenBLAS and NumPy pick their SIMD kernels for the CPU they run on (e.g. OpenBLAS's SkylakeX
kernel on Intel AVX-512, Haswell on AMD Zen), and different kernels round the last digits of
sums differently: the topic models' numbers, and so the figures, differed in the 13th digit between
an Intel and an AMD host. On x86-64 machines with AVX2 and FMA the toolkit therefore asks for the
Haswell BLAS kernel and NumPy's AVX2 (x86-64-v3) code paths on every machine. The pins are
environment variables read when NumPy and SciPy load their libraries, so they are set when
`analysis` is imported, before anything else; a variable the user has set is left alone, and
``ANALYSIS_NATIVE_KERNELS=1`` turns the pins off (fastest kernels, numbers exact only per machine).
"""

from __future__ import annotations

import os
import platform
import sys

PINS = {
    "OPENBLAS_CORETYPE": "Haswell",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
}


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def pinnable() -> bool:
    """True on x86-64 Linux with AVX2 and FMA, where the pinned kernels run."""
    if platform.machine().lower() not in {"x86_64", "amd64"} or not sys.platform.startswith("linux"):
        return False
    return {"avx2", "fma"} <= _cpu_flags()


def pin_kernels() -> dict[str, str]:
    """Set the pins (unless turned off or already set); return the ones in effect."""
    if os.environ.get("ANALYSIS_NATIVE_KERNELS", "") not in {"", "0"} or not pinnable():
        return {}
    for name, value in PINS.items():
        os.environ.setdefault(name, value)
    return {name: os.environ[name] for name in PINS}


def kernel_record() -> str:
    """The kernels of this process in one string, for cache keys and version records."""
    if _NUMPY_FIRST:
        return "native (NumPy was imported before analysis)"
    pins = {name: os.environ.get(name) for name in PINS}
    if not any(pins.values()):
        return "native"
    return "; ".join(f"{name}={value}" for name, value in pins.items() if value)


def loaded_before_pinning() -> bool:
    """True when NumPy was imported before `analysis` (the pins then do not apply to this process)."""
    return _NUMPY_FIRST


_NUMPY_FIRST = "numpy" in sys.modules
