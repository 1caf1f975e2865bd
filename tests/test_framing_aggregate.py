"""Frame shares per document, period and group with intervals; CSTO membership groups; plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.errors import ParameterError  # noqa: E402
from analysis.figures.plots.framing import (  # noqa: E402
    plot_evaluation,
    plot_frame_shares,
    plot_partner_network,
    plot_partner_trends,
)
from analysis.framing import (  # noqa: E402
    document_shares,
    membership,
    partner_network,
    stat_frame_share,
    stat_partner_mentions,
)

FRAMES = ["threat", "multipolarity", "cooperation"]
SENT = pd.DataFrame({
    "doc_id": ["a", "a", "a", "a", "b", "b", "c"],
    "sentence_index": [0, 1, 2, 3, 0, 1, 0],
    "threat": [1, 1, 0, 0, 1, 0, 0],
    "multipolarity": [0, 0, 0, 1, 0, 0, 1],
    "cooperation": [0, 1, 1, 0, 0, 1, 1],
    "partners": ["", "CSTO", "UN;CSTO", "", "", "SCO", "China"],
})
META = pd.DataFrame({"year": pd.array([2001, 2001, 2015], dtype="Int64"), "date": ["2001-03", "2001", "2015-06-01"],
                     "country": ["RUS", "FRA", "kaz"]}, index=pd.Index(["a", "b", "c"], name="id"))


def test_document_shares_are_shares_of_sentences():
    docs = document_shares(SENT, FRAMES, META)
    assert docs.loc["a", "n_sentences"] == 4 and docs.loc["a", "share_threat"] == 0.5
    assert docs.loc["b", "n_cooperation"] == 1 and docs.loc["c", "share_multipolarity"] == 1.0


def test_shares_per_period_and_group_by_hand():
    docs = document_shares(SENT, FRAMES, META)
    w = stat_frame_share(docs, FRAMES, period="year", ci="wilson")
    row = w[(w["period"] == "2001") & (w["frame"] == "threat")].iloc[0]
    assert row["share"] == pytest.approx(3 / 6) and row["n_documents"] == 2 and row["n_sentences"] == 6
    assert row["low"] < 0.5 < row["high"]
    b = stat_frame_share(docs, FRAMES, period="decade", group=membership(docs), n_boot=200, seed=0)
    assert set(b["group"]) == {"CSTO members", "others"}
    csto2000 = b[(b["period"] == "2000s") & (b["group"] == "CSTO members") & (b["frame"] == "cooperation")].iloc[0]
    assert csto2000["share"] == 0.5  # doc a only: 2 of 4
    assert (b["low"] <= b["share"]).all() and (b["share"] <= b["high"]).all()
    pd.testing.assert_frame_equal(b, stat_frame_share(docs, FRAMES, period="decade", group=membership(docs),
                                                      n_boot=200, seed=0))


def test_membership_is_case_insensitive_and_counts_the_six_members():
    g = membership(META)
    assert g.tolist() == ["CSTO members", "others", "CSTO members"]


def test_month_period_leaves_out_year_only_dates_and_all_period_pools():
    docs = document_shares(SENT, FRAMES, META)
    m = stat_frame_share(docs, FRAMES, period="month", ci="wilson")
    assert set(m["period"]) == {"2001-03", "2015-06"}
    a = stat_frame_share(docs, FRAMES, period="all", ci="wilson")
    assert (a["n_sentences"] == 7).all()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"period": "week"}, "`period` must be one of"),
    ({"ci": "normal"}, "`ci` must be one of"),
    ({"group": "region"}, "not a document metadata column"),
    ({"n_boot": 0}, "n_boot"),
])
def test_bad_parameters_are_named(kwargs, message):
    docs = document_shares(SENT, FRAMES, META)
    with pytest.raises(ParameterError, match=message):
        stat_frame_share(docs, FRAMES, **kwargs)


def test_plot_functions_return_axes():
    docs = document_shares(SENT, FRAMES, META)
    shares = stat_frame_share(docs, FRAMES, period="year", group=membership(docs), n_boot=20)
    assert plot_frame_shares(shares) is not None
    mentions = stat_partner_mentions(SENT.assign(cooperation=SENT["cooperation"]), docs, period="year")
    assert plot_partner_trends(mentions, top=3) is not None
    ax = plot_partner_network(partner_network(SENT), seed=0)
    assert ax is not None
    scores = pd.DataFrame({m: [0.8, 0.7] for m in ("precision", "recall", "f1")}, index=["threat", "cooperation"])
    for m in ("precision", "recall", "f1"):
        scores[f"{m}_low"], scores[f"{m}_high"] = scores[m] - 0.1, np.minimum(scores[m] + 0.1, 1)
    assert plot_evaluation(scores) is not None


def test_network_layout_is_deterministic_with_the_seed():
    import matplotlib.pyplot as plt

    def positions(seed: int) -> list:
        fig, ax = plt.subplots()
        plot_partner_network(partner_network(SENT), ax=ax, seed=seed)
        pts = [tuple(np.round(t.get_position(), 6)) for t in ax.texts]
        plt.close(fig)
        return pts

    assert positions(4) == positions(4)
