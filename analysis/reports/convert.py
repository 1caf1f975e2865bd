"""Converting executed notebooks: self-contained HTML (images embedded, no scripts from the
network, optionally without the code, with a table of contents) and PDF (nbconvert's LaTeX
export where xelatex and pandoc are installed, else the HTML printed by headless Chromium)."""

from __future__ import annotations

import html as html_lib
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError, UserError
from analysis.reports.notebooks import notebooks_dir

PDF_ENGINES = ("auto", "latex", "chromium")
LATEX_HELP = (
    "PDF reports need a LaTeX engine (xelatex) and pandoc, which were not found. Install them "
    "(Debian/Ubuntu: `apt-get install texlive-xetex texlive-fonts-recommended "
    "texlive-plain-generic pandoc`; macOS: MacTeX and `brew install pandoc`; Windows: MiKTeX and "
    "pandoc), or open the HTML report in a browser and print it to PDF."
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


# Scripts the HTML template loads from a CDN (require.js, MathJax): nothing in our reports uses
# them, and a report must open offline without waiting for the network.
_REMOTE_SCRIPT = re.compile(r'<script\s+src="https?://[^"]*"\s*>\s*</script>\s*', re.IGNORECASE)


def _export(exporter: Any, nb: Any, name: str, base: Path | None, no_input: bool) -> Any:
    """`exporter` (an nbconvert exporter) run on `nb`, the code cells hidden with `no_input`."""
    if no_input:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    resources = {"metadata": {"name": name, "path": str(base or notebooks_dir())}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def notebook_html(nb: Any, *, name: str, base: Path | None = None, no_input: bool = False,
                  toc: bool = True) -> str:
    """Self-contained HTML of an executed notebook: images embedded as data URIs, no scripts
    from the network; `no_input` hides the code cells (nbconvert's no-input), `toc` adds a
    table of contents of the headings under the title."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.embed_images = True
    quiet = _DropMessage("Alternative text is missing")  # plots get nbconvert's generic alt text
    exporter.log.addFilter(quiet)
    try:
        body = _export(exporter, nb, name, base, no_input)
    finally:
        exporter.log.removeFilter(quiet)
    body = _REMOTE_SCRIPT.sub("", body)
    return add_toc(body) if toc else body


_HEADING = re.compile(r"<h([1-3])(\s[^>]*)?>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_TOC_CSS = ("<style>nav.sdt-toc{margin:0.5em 0 1.5em;padding:0.6em 1em;border-left:3px solid #ccc;"
            "font-size:0.95em}nav.sdt-toc ul{margin:0.2em 0;padding-left:1.2em}"
            "nav.sdt-toc li.h3{margin-left:1.2em}@media print{nav.sdt-toc{break-after:avoid}}</style>")


def add_toc(page: str) -> str:
    """Insert a table of contents of the h2/h3 headings after the page's first h1 (headings
    without an id get one)."""
    entries: list[tuple[int, str, str]] = []
    used: set[str] = set()

    def visit(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        found = re.search(r'\sid="([^"]+)"', attrs)
        anchor = found.group(1) if found else None
        if anchor is None:
            anchor = re.sub(r"[^\w-]+", "-", text.lower()).strip("-") or f"section-{len(used)}"
            while anchor in used:
                anchor += "-x"
            attrs = f'{attrs} id="{anchor}"'
        used.add(anchor)
        if level > 1 and text:
            entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    page = _HEADING.sub(visit, page)
    if not entries:
        return page
    items = "".join(f'<li class="h{lvl}"><a href="#{html_lib.escape(a, quote=True)}">'
                    f"{html_lib.escape(t)}</a></li>" for lvl, a, t in entries)
    nav = f'{_TOC_CSS}<nav class="sdt-toc" aria-label="Contents"><strong>Contents</strong><ul>{items}</ul></nav>'
    first = re.search(r"</h1>", page, re.IGNORECASE)
    if first is None:
        body = re.search(r"<body[^>]*>", page, re.IGNORECASE)
        at = body.end() if body else 0
    else:
        at = first.end()
    return page[:at] + nav + page[at:]


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


def latex_engine() -> str | None:
    """The path of xelatex when it and pandoc (both needed by nbconvert's PDF export) exist."""
    xelatex = shutil.which("xelatex")
    return xelatex if xelatex and shutil.which("pandoc") else None


def pdf_engine(pdf: bool | str | None) -> str | None:
    """The PDF route for `pdf` (False/None: none; True/"auto": LaTeX where installed, else
    headless Chromium; "latex"; "chromium"), or a UserError saying what to install."""
    if pdf is None or pdf is False:
        return None
    choice = "auto" if pdf is True else str(pdf).lower()
    if choice not in PDF_ENGINES:
        raise ParameterError(f"`pdf` must be one of {', '.join(map(repr, PDF_ENGINES))} (or "
                             f"True/False); got {pdf!r}.")
    if choice in ("auto", "latex") and latex_engine() is not None:
        return "latex"
    if choice == "latex":
        raise UserError(LATEX_HELP)
    if chromium_path() is not None:
        return "chromium"
    if choice == "chromium":
        raise UserError("PDF through Chromium needs headless Chromium (Debian: `apt-get install "
                        "chromium`), which was not found.")
    raise UserError("PDF reports need either headless Chromium (Debian: `apt-get install "
                    "chromium`) or " + LATEX_HELP[len("PDF reports need "):])


def html_pdf(html_path: str | Path, pdf_path: str | Path, *, timeout: float = 180) -> Path:
    """Print an HTML report to PDF with headless Chromium (no LaTeX needed)."""
    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.unlink(missing_ok=True)
    done = run_chromium(["--virtual-time-budget=10000", "--no-pdf-header-footer",
                      f"--print-to-pdf={pdf_path}", Path(html_path).resolve().as_uri()],
                     timeout=timeout)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise UserError(f"{html_path}: Chromium wrote no PDF (exit {done.returncode}; "
                        f"{done.stderr.strip()[-300:]}); the HTML report is complete.")
    return pdf_path


def notebook_pdf(nb: Any, *, name: str, base: Path | None = None, no_input: bool = False) -> bytes:
    """PDF of an executed notebook through nbconvert's LaTeX export (needs xelatex)."""
    if latex_engine() is None:
        raise UserError(LATEX_HELP)
    from nbconvert import PDFExporter

    try:
        body = _export(PDFExporter(), nb, name, base, no_input)
    except Exception as exc:  # LaTeX errors come as several exception types
        raise UserError(f"PDF of {name} failed in LaTeX: {exc}; the HTML report is complete.") \
            from None
    return body


def chromium_path() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(args: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    browser = chromium_path()
    if browser is None:
        raise UserError("headless Chromium was not found (Debian: `apt-get install chromium`).")
    with tempfile.TemporaryDirectory(prefix="sdt-chromium-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
               f"--user-data-dir={profile}", *args]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UserError(f"headless Chromium did not finish within {timeout:.0f} s.") from None


__all__ = ["CHROMIUM_NAMES", "LATEX_HELP", "PDF_ENGINES", "add_toc", "chromium_path", "html_pdf",
           "latex_engine", "notebook_html", "notebook_pdf", "pdf_engine", "run_chromium"]
