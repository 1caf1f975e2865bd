"""The figure layer: house style, byte-identical saves, the manifest and the gallery page."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from analysis import __version__, figures
from analysis.errors import ParameterError, UserError
from analysis.figures.plots.corpus import plot_counts, plot_distribution
from analysis.preprocess import preprocess

FILES = ("demo-fig.png", "demo-fig.svg", "demo-fig.pdf", "data/demo-fig.csv", "manifest.json",
         "README.md")


def _table() -> pd.DataFrame:
    years = np.arange(2000, 2021)
    return pd.DataFrame({"year": years, "share": np.round(np.sin(years / 3.0) ** 2, 6),
                         "low": 0.1 + 0.2 * np.ones(len(years))})


def _draw_and_save(out: Path, source=None, figure_id: str = "demo-fig", **kw) -> dict:
    table = _table()
    fig, ax = figures.figure("single")
    ax.plot(table["year"], table["share"], label="share")
    ax.fill_between(table["year"], table["low"], table["share"], alpha=0.2)
    ax.set_xlabel("year")
    ax.set_ylabel("share of documents")
    ax.legend()
    try:
        return figures.save(fig, figure_id, caption="Share of documents per year.", data=table,
                            title="A demo figure", source=source, params={"seed": 0, "k": 3},
                            notebook="00_test", out_dir=out, **kw)
    finally:
        plt.close(fig)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_saving_the_same_figure_twice_gives_identical_bytes(tmp_path):
    source = {"name": "demo", "hash": "ab" * 32, "synthetic": True}
    _draw_and_save(tmp_path / "a", source)
    _draw_and_save(tmp_path / "b", source)
    for name in FILES:
        assert _digest(tmp_path / "a" / name) == _digest(tmp_path / "b" / name), name


def test_svg_ids_do_not_depend_on_last_bit_float_noise_in_the_layout(tmp_path):
    # Constrained layout can differ in the last bit of an axes position from one process to
    # the next; matplotlib hashes full-precision clip rectangles into SVG ids.
    for name, nudge in (("a", 0.0), ("b", 1e-15)):
        fig, ax = figures.figure(layout="none")
        ax.set_position([0.15 + nudge, 0.2, 0.8, 0.7])
        ax.plot([0, 1, 2], [1, 3, 2], marker="o")
        figures.save(fig, "noise", caption="c", data=_table(), out_dir=tmp_path / name)
        plt.close(fig)
    a = (tmp_path / "a" / "noise.svg").read_bytes()
    assert a == (tmp_path / "b" / "noise.svg").read_bytes()
    assert b'clip-path="url(#p-noise-' in a


def test_saved_files_carry_no_dates_or_software_versions(tmp_path):
    _draw_and_save(tmp_path)
    png = (tmp_path / "demo-fig.png").read_bytes()
    pdf = (tmp_path / "demo-fig.pdf").read_bytes()
    svg = (tmp_path / "demo-fig.svg").read_text(encoding="utf-8")
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"matplotlib" not in png
    assert b"CreationDate" not in pdf and b"ModDate" not in pdf and b"Producer" not in pdf
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    # text stays text in the SVG (svg.fonttype none), so captions and labels are editable
    assert "share of documents" in svg


def test_png_is_300_dpi_at_column_width(tmp_path):
    _draw_and_save(tmp_path)
    image = matplotlib.image.imread(tmp_path / "demo-fig.png")
    assert image.shape[1] == round(figures.WIDTHS["single"] * figures.PNG_DPI)


def test_manifest_entry_records_provenance(tmp_path):
    corpus_like = {"name": "demo", "hash": "0123456789abcdef" * 4, "synthetic": False}
    entry = _draw_and_save(tmp_path, corpus_like)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["figures"] == [entry]
    assert entry["id"] == "demo-fig" and entry["title"] == "A demo figure"
    assert entry["caption"] == "Share of documents per year."
    assert entry["corpus"] == corpus_like
    assert entry["params"] == {"k": 3, "seed": 0}
    assert entry["notebook"] == "00_test"
    assert entry["toolkit"] == {"name": figures.TOOLKIT_NAME, "version": __version__}
    assert set(entry["git"]) == {"commit", "dirty"}
    assert entry["files"] == {"png": "demo-fig.png", "svg": "demo-fig.svg", "pdf": "demo-fig.pdf",
                              "data": "data/demo-fig.csv"}
    for kind, rel in entry["files"].items():
        assert entry["sha256"][kind] == _digest(tmp_path / rel)
    assert manifest["generated_with"]["matplotlib"] == matplotlib.__version__
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_manifest_keeps_one_entry_per_id_sorted_by_id(tmp_path):
    _draw_and_save(tmp_path, figure_id="zeta")
    _draw_and_save(tmp_path, figure_id="alpha")
    _draw_and_save(tmp_path, figure_id="zeta")
    ids = [e["id"] for e in figures.load_manifest(tmp_path)["figures"]]
    assert ids == ["alpha", "zeta"]


def test_a_broken_manifest_is_a_user_error_that_says_how_to_fix_it(tmp_path):
    (tmp_path / "manifest.json").write_text('{"figures": [{"title": "no id"}]}', encoding="utf-8")
    with pytest.raises(UserError, match="not a figures manifest.*run the notebooks again"):
        _draw_and_save(tmp_path)


def test_data_csv_is_written_with_stable_number_formatting(tmp_path):
    _draw_and_save(tmp_path)
    lines = (tmp_path / "data" / "demo-fig.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "year,share,low"
    # 0.1 + 0.2 is 0.30000000000000004 in binary; the file says 0.3
    assert all(line.endswith(",0.3") for line in lines[1:])
    table = pd.DataFrame({"v": [1.5, np.nan, 2.0]}, index=pd.Index(["a", "b", "c"], name="id"))
    assert figures.data_csv(table) == "id,v\na,1.5\nb,\nc,2.0\n"


def test_synthetic_corpus_is_labelled_in_caption_and_on_the_figure(tmp_path, tiny_corpus):
    tiny_corpus.info["synthetic"] = True
    entry = _draw_and_save(tmp_path, tiny_corpus)
    assert entry["caption"].endswith("(synthetic demo corpus)")
    assert entry["corpus"] == {"name": "tiny", "hash": tiny_corpus.hash, "synthetic": True}
    assert figures.SYNTHETIC_MARK in (tmp_path / "demo-fig.svg").read_text(encoding="utf-8")
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "(synthetic demo corpus)" in readme


def test_real_corpus_caption_is_left_as_written(tmp_path, tiny_corpus):
    entry = _draw_and_save(tmp_path, tiny_corpus)
    assert entry["caption"] == "Share of documents per year."
    assert figures.SYNTHETIC_MARK not in (tmp_path / "demo-fig.svg").read_text(encoding="utf-8")


def test_tokens_are_described_by_their_corpus(tiny_corpus):
    tokens = preprocess(tiny_corpus, cache_dir=None)
    described = figures.describe_source(tokens)
    assert described["name"] == "tiny" and described["hash"] == tiny_corpus.hash


def test_objects_carrying_their_corpus_identity_are_accepted():
    class Result:  # e.g. a method's result object, or Tokens with a synthetic flag
        name = "demo"
        hash = "c0ffee"
        is_synthetic = True

    assert figures.describe_source(Result()) == {"name": "demo", "hash": "c0ffee",
                                                 "synthetic": True}


def test_dataclass_params_are_recorded_as_plain_values(tmp_path):
    from analysis.preprocess import PreprocessParams

    fig, _ = figures.figure()
    entry = figures.save(fig, "p", caption="c", data=_table(), out_dir=tmp_path,
                         params={"preprocess": PreprocessParams(), "path": Path("a/b")})
    plt.close(fig)
    assert entry["params"]["preprocess"]["lemmatize"] is True
    assert entry["params"]["path"] == "a/b"


def test_unusable_source_is_refused():
    with pytest.raises(ParameterError, match="`source` must be a Corpus"):
        figures.describe_source(42)
    with pytest.raises(ParameterError, match="'name', 'hash', 'synthetic'"):
        figures.describe_source({"name": "x", "sha": "y"})


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"figure_id": "Bad Id"}, "`figure_id` must be lower-case"),
    ({"caption": "  "}, "`caption` for figure"),
    ({"data": [1, 2, 3]}, "`data` must be the pandas DataFrame"),
    ({"params": {"model": object()}}, "JSON manifest cannot record"),
])
def test_save_refuses_bad_arguments_with_a_message(tmp_path, kwargs, message):
    fig, _ = figures.figure()
    args = {"figure_id": "ok", "caption": "A caption.", "data": _table(), "params": {}}
    args.update(kwargs)
    figure_id = args.pop("figure_id")
    try:
        with pytest.raises(ParameterError, match=message):
            figures.save(fig, figure_id, out_dir=tmp_path, **args)
    finally:
        plt.close(fig)
    assert not (tmp_path / "manifest.json").exists()


def test_figure_widths_follow_journal_columns():
    for width, inches in (("single", 3.5), ("double", 7.2)):
        fig, ax = figures.figure(width)
        assert fig.get_size_inches()[0] == pytest.approx(inches)
        assert isinstance(ax, Axes)
        plt.close(fig)
    fig, axes = figures.figure("double", nrows=2, ncols=2, sharex=True)
    assert axes.shape == (2, 2)
    plt.close(fig)
    with pytest.raises(ParameterError, match="`width` must be one of"):
        figures.figure("wide")


def test_house_style_uses_okabe_ito_and_no_top_right_spines():
    fig, ax = figures.figure()
    assert [c.upper() for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]] == \
        list(figures.PALETTE)
    assert figures.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert matplotlib.rcParams["font.size"] == 8.0
    plt.close(fig)


def test_style_as_context_manager_restores_settings():
    matplotlib.rcParams["font.size"] = 13.0
    with figures.style():
        assert matplotlib.rcParams["font.size"] == 8.0
    assert matplotlib.rcParams["font.size"] == 13.0
    matplotlib.rcdefaults()


def test_readme_lists_each_figure_with_image_and_citation(tmp_path):
    source = {"name": "ungdc", "hash": "feedc0de" * 8, "synthetic": False}
    _draw_and_save(tmp_path, source, figure_id="alpha")
    _draw_and_save(tmp_path, source, figure_id="beta")
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.index("## alpha") < readme.index("## beta")
    assert "![alpha](alpha.png)" in readme and "![beta](beta.png)" in readme
    cite = [line for line in readme.splitlines() if line.startswith("Cite as:")]
    assert len(cite) == 2
    assert f"{figures.TOOLKIT_NAME} {__version__}" in cite[0]
    assert 'figure "alpha"' in cite[0] and 'corpus "ungdc" (sha256 feedc0defeed)' in cite[0]
    assert "commit" in cite[0]


def test_plot_helpers_draw_on_the_given_axes():
    counts = pd.DataFrame({"en": [3, 0, 5], "ru": [1, 2, 0]}, index=pd.Index([2001, 2002, 2004],
                                                                            name="year"))
    fig, (left, right) = figures.figure("double", ncols=2)
    assert plot_counts(counts, ax=left) is left
    assert len(left.patches) == 6
    lengths = pd.DataFrame({"n_tokens": [10, 20, 30, 40], "language": ["en", "en", "ru", "ru"]})
    assert plot_distribution(lengths, "n_tokens", by="language", ax=right) is right
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["en (n=2)", "ru (n=2)"]
    plt.close(fig)
    with pytest.raises(ParameterError, match="has no column 'n'"):
        plot_distribution(lengths, "n")


def test_the_house_font_is_matplotlibs_own_dejavu_even_when_a_system_copy_is_listed_first():
    import dataclasses
    import importlib
    from pathlib import Path

    import matplotlib
    from matplotlib import font_manager

    S = importlib.import_module("analysis.figures.style")  # the module (the package exports a function `style`)
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    manager = font_manager.fontManager
    original = list(manager.ttflist)
    own = next(f for f in original if f.name == "DejaVu Sans" and f.style == "normal" and f.weight == 400)
    system_copy = dataclasses.replace(own, fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    try:
        manager.ttflist = [system_copy, *original]
        S._FONTS_PINNED = False
        font_manager.FontManager._findfont_cached.cache_clear()
        S.pin_bundled_fonts()
        assert Path(font_manager.findfont("DejaVu Sans")).parent == bundled
        assert all(Path(f.fname).parent == bundled for f in manager.ttflist if f.name.startswith("DejaVu"))
    finally:  # pinned again on the real list, for the tests after this one
        manager.ttflist = original
        S._FONTS_PINNED = False
        S.pin_bundled_fonts()
