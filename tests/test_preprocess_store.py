"""Stored results load no code: arrays, Parquet and JSON round-trip exactly; anything else is
refused on writing, and a file that does not decode is never trusted."""

from __future__ import annotations

import io
import json
import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis.preprocess import preprocess
from analysis.preprocess import store as stored
from analysis.preprocess.cache import ResultCache


def roundtrip(value):
    buf = io.BytesIO()
    stored.dump(value, buf)
    buf.seek(0)
    return stored.load(buf)


def test_data_values_come_back_exactly():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "threat": np.array([1, 0], dtype="int8"),
                          "share": [0.25, np.nan]}, index=pd.Index([3, 7], name="row"))
    value = {"frame": frame, "m": sparse.csr_matrix(np.array([[0, 2], [3, 0]], dtype=np.int64)),
             "names": np.array(["x", "y"], dtype=object), "k": np.int64(4), (1, 2): (None, 1.5, "s"),
             "dtype": np.float64, "topics": pd.DataFrame([[0.5, 0.5]], columns=[0, 1])}
    back = roundtrip(value)
    pd.testing.assert_frame_equal(back["frame"], frame, check_exact=True)
    assert (back["m"] != value["m"]).nnz == 0 and back["m"].dtype == np.int64
    assert back["names"].dtype == object and back["names"].tolist() == ["x", "y"]
    assert back["k"] == 4 and back["k"].dtype == np.int64
    assert back[(1, 2)] == (None, 1.5, "s") and back["dtype"] is np.float64
    assert back["topics"].columns.tolist() == [0, 1]


def test_a_fitted_topic_model_is_stored_as_its_arrays_and_rebuilt(demo_dir):
    from analysis.corpus import load_corpus
    from analysis.topics import TopicModel, prepare_units

    tokens = preprocess(load_corpus(demo_dir), cache_dir=None)
    units = prepare_units(tokens, cache=False)
    model = TopicModel(k=5, seed=0)
    state = model._learn(units)
    again = TopicModel(k=5, seed=0)
    again.__dict__.update(roundtrip(state))
    assert np.array_equal(again.model_.get_topics(), model.model_.get_topics())
    assert np.array_equal(again._shares(units.dtm), model._shares(units.dtm))


def test_code_and_unknown_objects_are_not_stored():
    class Mine:
        pass

    for value in (lambda x: x, Mine(), np.array([Mine()], dtype=object), {"f": print}):
        with pytest.raises(stored.UnstorableError):
            stored.dump(value, io.BytesIO())


def test_a_file_naming_another_class_or_a_pickle_is_unreadable():
    manifest = {"format": stored.FORMAT, "value": {"t": "object", "class": "os.system", "vars":
                                                   {"t": "dict", "k": [], "v": []}}}
    buf = io.BytesIO()
    np.savez(buf, __manifest__=np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8))
    buf.seek(0)
    with pytest.raises(stored.UnreadableError, match="not one this store rebuilds"):
        stored.load(buf)
    with pytest.raises(stored.UnreadableError):
        stored.load(io.BytesIO(pickle.dumps([1, 2])))


def test_the_results_cache_never_unpickles(tmp_path):
    store = ResultCache(tmp_path)
    store.get_or_compute("demo", {"k": 1}, lambda: [1], code=("analysis.stats",))
    key, _ = store.key("demo", {"k": 1}, ("analysis.stats",))
    path = store.path("demo", key)
    assert path.suffix == ".npz"

    class Boom:
        def __reduce__(self):
            return (pytest.fail, ("a stored pickle was loaded",))

    path.write_bytes(pickle.dumps(Boom()))  # someone with write access to the shared folder
    assert store.get_or_compute("demo", {"k": 1}, lambda: [2], code=("analysis.stats",)) == [2]
