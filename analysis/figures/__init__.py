"""Figures people cite: the house style, `save` with byte-identical reruns, the manifest and the
galleries made from it.

The one way to make a figure in the toolkit:

>>> fig, ax = figure("single")
>>> ax.plot(table["year"], table["share"])                       # doctest: +SKIP
>>> save(fig, "topic-shares", caption="...", data=table, source=corpus,
...      params={"k": 12, "seed": 0}, notebook="02_topics")       # doctest: +SKIP

`save` writes `<out_dir>/<id>.png` (300 dpi), `.svg` and `.pdf`, the data behind the figure as
`<out_dir>/data/<id>.csv`, and records the figure in `<out_dir>/manifest.json` (corpus name and
content hash, parameters, toolkit version, git commit) from which `<out_dir>/README.md` (a
gallery with captions and a citation line per figure) is regenerated. The same figure saved
twice gives the same bytes: no dates or software versions in the files, a fixed SVG hash salt.

Modules: `style` (palette, widths, rcParams, `figure`), `manifest` (what a figure records and
the manifest file), `save` (files, data CSV), `gallery` (the README and the report's summary of saved figures) and
`plots` (`plots.<method>.<plot_fn>`: each takes a result table and an optional `ax` and returns
the Axes; only notebooks and the CLI call `save`).
"""

from __future__ import annotations

from analysis.figures.gallery import (
    README_NAME,
    GallerySection,
    citation,
    figure_gallery,
    figure_table,
    readme_text,
    show_gallery,
    write_readme,
)
from analysis.figures.manifest import (
    DATA_DIR,
    MANIFEST_NAME,
    SYNTHETIC_CAPTION,
    TOOLKIT_NAME,
    describe_source,
    figure_entries,
    generated_with,
    label_caption,
    load_manifest,
    manifest_json,
    write_manifest,
)
from analysis.figures.save import FORMATS, SYNTHETIC_MARK, data_csv, save
from analysis.figures.style import (
    GREY,
    PALETTE,
    PALETTE_NAMES,
    PNG_DPI,
    RC,
    ROW_HEIGHTS,
    WIDTHS,
    figure,
    style,
)

__all__ = ["DATA_DIR", "FORMATS", "GREY", "GallerySection", "MANIFEST_NAME", "PALETTE", "PALETTE_NAMES", "PNG_DPI", "RC",
           "README_NAME", "ROW_HEIGHTS", "SYNTHETIC_CAPTION", "SYNTHETIC_MARK", "TOOLKIT_NAME", "WIDTHS", "citation", "data_csv", "describe_source",
           "figure", "figure_entries", "figure_gallery", "figure_table", "generated_with", "label_caption", "manifest_json", "load_manifest",
           "readme_text", "save", "show_gallery", "style", "write_manifest", "write_readme"]
