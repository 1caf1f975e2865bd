"""Version records, code fingerprints and git state come from one module."""

import pytest

from analysis import __version__
from analysis.provenance import LIBRARIES, git_state, method_code, versions


def test_versions_record_the_toolkit_and_every_library():
    record = versions()
    assert record["analysis"] == __version__
    assert set(record) == {"analysis", *LIBRARIES, "kernels"}
    assert record["numpy"] and record["kernels"]


def test_versions_of_chosen_libraries_only():
    assert set(versions(("pandas",))) == {"analysis", "pandas", "kernels"}


def test_method_code_is_the_method_package_and_preprocessing():
    assert method_code("analysis.trends.terms") == ("analysis.trends", "analysis.preprocess")
    assert method_code("analysis.topics") == ("analysis.topics", "analysis.preprocess")
    with pytest.raises(ValueError):
        method_code("numpy.linalg")


def test_git_state_is_unknown_outside_a_checkout(tmp_path):
    assert git_state(tmp_path) == {"commit": None, "dirty": None}
