"""The numeric kernels are pinned when `analysis` is imported, so reruns match across x86-64 hosts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analysis import kernels

PROBE = ("import analysis, json, os, numpy, scipy.linalg\n"
         "from threadpoolctl import threadpool_info\n"
         "print(json.dumps({'env': {k: os.environ.get(k) for k in analysis.kernels.PINS},\n"
         "                  'blas': sorted({i.get('architecture') for i in threadpool_info()\n"
         "                                  if i.get('internal_api') == 'openblas'})}))\n")


def _probe(**env: str) -> dict:
    full = {k: v for k, v in os.environ.items() if k not in kernels.PINS and k != "ANALYSIS_NATIVE_KERNELS"}
    out = subprocess.run([sys.executable, "-c", PROBE], env={**full, **env}, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


needs_pin = pytest.mark.skipif(not kernels.pinnable(), reason="the pins apply to x86-64 Linux with AVX2/FMA")


@needs_pin
def test_importing_analysis_pins_openblas_to_haswell_and_numpy_to_avx2():
    state = _probe()
    assert state["env"] == kernels.PINS
    assert state["blas"] == ["Haswell"]


@needs_pin
def test_a_kernel_the_user_chose_is_left_alone():
    assert _probe(OPENBLAS_CORETYPE="Zen")["env"]["OPENBLAS_CORETYPE"] == "Zen"


def test_native_kernels_switch_turns_the_pins_off():
    assert _probe(ANALYSIS_NATIVE_KERNELS="1")["env"] == {k: None for k in kernels.PINS}


def test_the_test_process_itself_imported_analysis_before_numpy():
    assert not kernels.loaded_before_pinning(), "a plugin or conftest imported NumPy before analysis"


def test_stored_results_are_keyed_by_the_kernels(tmp_path, monkeypatch):
    from analysis.preprocess.cache import ResultCache

    cache = ResultCache(tmp_path)
    pinned, _ = cache.key("topics", {"k": 5}, ["analysis.kernels"])
    monkeypatch.setattr(kernels, "_NUMPY_FIRST", True)
    native, record = cache.key("topics", {"k": 5}, ["analysis.kernels"])
    assert pinned != native and record["kernels"].startswith("native")
