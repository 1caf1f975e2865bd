"""Report defaults taken from the corpus, not from the demo: which language, period, keyness
split, group column, terms and KWIC/collocation nodes a notebook uses when the user leaves a
parameter at ``"auto"``, and a ledger of those choices and of the sections that cannot run.

Each ``choose_*`` function is pure: it looks at the corpus metadata (or the tokens) and returns
a `Choice` with the value and a sentence saying why. A value the user set is never replaced
(`Ledger.use` only calls a chooser for ``"auto"``). A section a corpus cannot support (too few
documents, one period only, no group column, no gold) is not an error: `Ledger.skip` shows a
note saying why and what would make it run, and `Ledger.show` ends every report with a
"Corpus info" section listing what was analysed, the choices and the skips.

The rules (stated once here; the report repeats the one it applied):

- language: the language with the most documents (ties: the alphabetically first), other
  languages named with their counts;
- period: the one auto rule of `analysis.preprocess.periods` for every method: "year" when any
  date is a bare year or the dates span 8 years or more; otherwise the finer of month and quarter
  whose periods hold a median of at least 5 documents, else "year";
- keyness split: a corpus spanning 2 or more years is split into the earlier and the later half
  of its years (the earlier half gets the extra year of an odd span); a shorter one at its
  median date; the split is dropped when one side would have fewer than 3 documents;
- group: the column asked for (default "organization") when it exists with 2 or more values;
- group periods: five-year periods from the first year (a last period shorter than 3 years is
  joined to the one before) when the dates span 10 years or more, else the period above;
- terms: the listed terms (English|Russian pairs) that occur; when none does, the most frequent
  terms of the corpus; KWIC and collocation nodes: the first listed candidate that occurs.
"""

from __future__ import annotations

import html as html_lib
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.preprocess.periods import MIN_PERIOD_DOCS, explain_auto_period

AUTO = "auto"
UN_CORPUS_ENV = "ANALYSIS_UN_CORPUS"
MIME = "application/vnd.sdt.report+json"  # the ledger's machine-readable output in a notebook
MIN_SIDE_DOCS = 3
GROUP_BIN_YEARS = 5


@dataclass(frozen=True)
class Choice:
    """One parameter's value and why: `source` is "you" (set by the user or the notebook's
    default) or "corpus" (derived from the data); `value` None means "not used"."""

    name: str
    value: Any
    source: str
    reason: str


@dataclass(frozen=True)
class Skipped:
    """A section that did not run: why, and what would make it run."""

    section: str
    why: str
    remedy: str


def _dated(metadata: pd.DataFrame) -> pd.DataFrame:
    return metadata[metadata["date"].map(lambda d: isinstance(d, str) and bool(d))]


# --- the choosers ------------------------------------------------------------------------

def choose_language(metadata: pd.DataFrame) -> Choice:
    """The majority language (see the module docstring)."""
    counts = metadata["language"].value_counts()
    if counts.empty:
        return Choice("LANGUAGE", None, "corpus", "the corpus has no documents")
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    lang, n = ranked[0]
    others = ", ".join(f"{k}: {v}" for k, v in ranked[1:])
    reason = f"the majority language ({n} of {len(metadata)} documents)"
    if others:
        reason += f"; left out: {others} (set LANGUAGE to fit another, or None for all)"
    return Choice("LANGUAGE", str(lang), "corpus", reason)


def choose_period(metadata: pd.DataFrame) -> Choice:
    """The period the span and density of the dates support (`analysis.preprocess.periods.auto_period`)."""
    value, reason = explain_auto_period(metadata, min_docs=MIN_PERIOD_DOCS)
    return Choice("PERIOD", value, "corpus", reason)


def choose_keyness_split(metadata: pd.DataFrame) -> Choice:
    """Halves of the span of years, or the median date within one year (module docstring)."""
    dated = _dated(metadata)
    if len(dated) < 2 * MIN_SIDE_DOCS:
        return Choice("KEYNESS", None, "corpus",
                      f"{len(dated)} dated documents; a split needs at least {MIN_SIDE_DOCS} on "
                      "each side")
    dates = dated["date"].astype(str)
    years = dates.str[:4].astype(int)
    first, last = int(years.min()), int(years.max())
    n_years = last - first + 1
    if n_years >= 2:
        cut = first + math.ceil(n_years / 2)
        split, later = f"after:{cut}", int((years >= cut).sum())
        how = f"the earlier half of the years ({first}-{cut - 1}) against the later ({cut}-{last})"
    else:
        fine = dates[dated["date_precision"] != "year"].sort_values()
        if len(fine) < 2 * MIN_SIDE_DOCS:
            return Choice("KEYNESS", None, "corpus",
                          "all documents fall in one year and too few are dated to the month "
                          "or day to split it")
        cut_date = fine.iloc[len(fine) // 2]
        split = f"after:{cut_date}"
        placeable = fine.map(lambda d: not (len(d) < len(cut_date) and cut_date.startswith(d)))
        later = int(((fine >= cut_date) & placeable).sum())
        how = f"the median date ({cut_date}) of the {len(fine)} documents dated within {first}"
        dates = fine[placeable]
    earlier = len(dates) - later
    if min(earlier, later) < MIN_SIDE_DOCS:
        return Choice("KEYNESS", None, "corpus",
                      f"splitting at {split[6:]} leaves {min(earlier, later)} documents on one "
                      f"side (fewer than {MIN_SIDE_DOCS})")
    return Choice("KEYNESS", split, "corpus", f"{how}: {earlier} against {later} documents")


def choose_group(metadata: pd.DataFrame, value: str | None = "organization") -> Choice:
    """`value` when it is a metadata column with 2 or more values, else None."""
    if value is None:
        return Choice("GROUP", None, "you", "no group comparison asked for")
    if value not in metadata.columns:
        usable = [c for c in metadata.columns if _n_values(metadata[c]) in range(2, 13)
                  and c not in ("date", "date_precision", "year", "n_chars", "text_hash", "path",
                                "language", "n_sentences", "n_words", "n_tokens")]
        hint = f"; columns with 2-12 values: {', '.join(usable)}" if usable else ""
        return Choice("GROUP", None, "corpus", f"no metadata column {value!r}{hint}")
    n = _n_values(metadata[value])
    if n < 2:
        return Choice("GROUP", None, "corpus", f"the column {value!r} has {n} value(s); a "
                      "comparison needs 2 or more")
    return Choice("GROUP", value, "corpus", f"the column {value!r} has {n} values")


def _n_values(column: pd.Series) -> int:
    try:
        return int(column.dropna().astype(str).nunique())
    except TypeError:
        return 0


def choose_group_periods(metadata: pd.DataFrame, fallback: str) -> Choice:
    """Five-year periods for long spans, else `fallback` (module docstring)."""
    dated = _dated(metadata)
    if dated.empty:
        return Choice("GROUP_PERIOD", fallback, "corpus", "no dates; the period above")
    years = dated["date"].str[:4].astype(int)
    first, last = int(years.min()), int(years.max())
    if last - first + 1 < 2 * GROUP_BIN_YEARS:
        return Choice("GROUP_PERIOD", fallback, "corpus",
                      f"the dates span {last - first + 1} years; the period above ({fallback})")
    starts = list(range(first, last + 1, GROUP_BIN_YEARS))
    bins = [[a, min(a + GROUP_BIN_YEARS - 1, last)] for a in starts]
    if len(bins) > 1 and bins[-1][1] - bins[-1][0] + 1 < 3:
        last_bin = bins.pop()
        bins[-1][1] = last_bin[1]
    spec = ",".join(f"{a}-{b}" for a, b in bins)
    return Choice("GROUP_PERIOD", spec, "corpus", f"five-year periods over {first}-{last}")


def term_counts(tokens: Any, terms: Sequence[str]) -> dict[str, int]:
    """Occurrences of each term (trends syntax: "a|b", globs) in the corpus."""
    from analysis.trends import count_terms

    counts = count_terms(tokens, list(terms))
    return {t: int(n) for t, n in zip(counts.terms, counts.totals().to_numpy(), strict=True)}


def frequent_terms(tokens: Any, n: int = 5) -> list[str]:
    """The `n` most frequent processed terms (in 2 or more documents when there are 2+)."""
    from analysis.trends import count_vocabulary

    vocab = count_vocabulary(tokens, min_count=2, min_docs=min(2, max(len(tokens), 1)))
    return [t.replace("_", " ") for t in vocab.terms[:n]]


def choose_terms(tokens: Any, candidates: Sequence[str], *, n_fallback: int = 5) -> Choice:
    """The candidates that occur, in their order; the most frequent terms when none does."""
    counts = term_counts(tokens, candidates) if candidates else {}
    found = [t for t in candidates if counts.get(t, 0) > 0]
    missing = [t for t in candidates if counts.get(t, 0) == 0]
    if found:
        reason = f"{len(found)} of the {len(candidates)} listed terms occur"
        if missing:
            reason += f"; never found: {', '.join(missing)}"
        return Choice("TERMS", found, "corpus", reason)
    top = frequent_terms(tokens, n_fallback)
    return Choice("TERMS", top or None, "corpus",
                  "none of the listed terms occurs; the most frequent terms of the corpus instead"
                  if top else "no term occurs twice in the corpus")


def choose_node(tokens: Any, candidates: Sequence[str], *, min_count: int = 1) -> Choice:
    """The first candidate occurring at least `min_count` times, else None."""
    candidates = list(dict.fromkeys(c for c in candidates if c))
    counts = term_counts(tokens, candidates) if candidates else {}
    for term in candidates:
        if counts.get(term, 0) >= min_count:
            return Choice("NODE", term, "corpus", f"occurs {counts[term]} times")
    return Choice("NODE", None, "corpus", f"none of {', '.join(candidates) or 'the candidates'} "
                  f"occurs {min_count} or more times")


def un_corpus(value: str | Path | None) -> Choice:
    """The UN General Debate corpus: the parameter, else $ANALYSIS_UN_CORPUS, else off."""
    if value:
        return Choice("UN_CORPUS", str(value), "you", "set by you")
    env = os.environ.get(UN_CORPUS_ENV)
    if env:
        return Choice("UN_CORPUS", env, "corpus", f"from the environment variable {UN_CORPUS_ENV}")
    return Choice("UN_CORPUS", None, "corpus",
                  f"off: neither UN_CORPUS nor the environment variable {UN_CORPUS_ENV} is set")


# --- the ledger ---------------------------------------------------------------------------

def _show(markdown: str, payload: dict | None = None) -> None:
    """Display markdown in a notebook (with `payload` as machine-readable output); print outside."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the notebooks' dependencies
        print(markdown)
        return
    if get_ipython() is None:
        print(markdown)
        return
    bundle = {"text/markdown": markdown, "text/plain": markdown}
    if payload is not None:
        bundle[MIME] = payload
    display(bundle, raw=True)


@dataclass
class Ledger:
    """What a notebook chose and skipped, shown at the end as its "Corpus info" section."""

    notebook: str
    corpus: Any
    choices: list[Choice] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    analysed: list[str] = field(default_factory=list)

    def use(self, name: str, value: Any, chooser: Callable[..., Choice], *args: Any,
            **kwargs: Any) -> Any:
        """`value` unless it is "auto"; then the chooser's value. Either way it is recorded."""
        if isinstance(value, str) and value == AUTO:
            choice = chooser(*args, **kwargs)
            choice = Choice(name, choice.value, choice.source, choice.reason)
        else:
            choice = Choice(name, value, "you", "set by you (or the notebook's default)")
        self.choices.append(choice)
        return choice.value

    def record(self, name: str, value: Any, reason: str, source: str = "corpus") -> Any:
        """Record a value chosen elsewhere (e.g. by a method's own rule)."""
        self.choices.append(Choice(name, value, source, reason))
        return value

    def why(self, name: str) -> str:
        """The reason recorded for the latest choice of `name`."""
        for choice in reversed(self.choices):
            if choice.name == name:
                return choice.reason
        return f"{name} was not chosen"

    def note_analysed(self, text: str) -> None:
        """A line for "what was analysed" (documents used, units, ...)."""
        self.analysed.append(text)

    def skip(self, section: str, why: str, remedy: str) -> None:
        """Show and record a section that cannot run on this corpus."""
        entry = Skipped(section, why.rstrip("."), remedy.rstrip("."))
        if entry not in self.skipped:
            self.skipped.append(entry)
        _show(f"> **Skipped: {_md(section)}.** {_md(entry.why)}. *To run it:* {_md(entry.remedy)}.")

    def to_dict(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "corpus": _corpus_line(self.corpus),
                "analysed": list(self.analysed),
                "choices": [{**asdict(c), "value": _jsonable(c.value)} for c in self.choices],
                "skipped": [asdict(s) for s in self.skipped]}

    def markdown(self) -> str:
        lines = [f"**Corpus:** {_md(_corpus_line(self.corpus))}."]
        lines += [f"- {_md(a)}" for a in self.analysed]
        if self.choices:
            lines += ["", "**Parameters** (\"corpus\": chosen from the data because the parameter "
                      "was left at \"auto\"; set it to override):", "",
                      "| parameter | value | from | why |", "|---|---|---|---|"]
            lines += [f"| `{c.name}` | {_md(_short(c.value))} | {c.source} | {_md(c.reason)} |"
                      for c in self.choices]
        lines += [""]
        if self.skipped:
            lines += ["**Skipped sections:**", ""]
            lines += [f"- **{_md(s.section)}**: {_md(s.why)}. *To run it:* {_md(s.remedy)}."
                      for s in self.skipped]
        else:
            lines += ["**Skipped sections:** none; every section ran."]
        return "\n".join(lines)

    def show(self) -> None:
        """Display the body of the "Corpus info" section (markdown, plus the ledger as JSON
        for `ledgers_of`); the notebook's markdown cell above it carries the heading."""
        _show(self.markdown(), self.to_dict())


def _corpus_line(corpus: Any) -> str:
    if corpus is None:
        return "none"
    meta = corpus.metadata
    langs = ", ".join(f"{k} {v}" for k, v in meta["language"].value_counts().items())
    dated = _dated(meta)
    span = f"{min(dated['date'])} to {max(dated['date'])}" if len(dated) else "no dates"
    synthetic = ", synthetic" if getattr(corpus, "is_synthetic", False) else ""
    return (f"“{corpus.name}” ({len(corpus)} documents{synthetic}; languages: {langs or 'none'}; "
            f"dates: {span}; sha256 {corpus.hash[:12]})")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _short(value: Any, limit: int = 120) -> str:
    if value is None:
        return "— (not used)"
    text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _md(text: Any) -> str:
    """Text safe inside markdown (and a table cell)."""
    return html_lib.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def ledgers_of(nb: Any) -> list[dict[str, Any]]:
    """The ledgers an executed notebook displayed (see `Ledger.show`)."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                found.append(data[MIME])
    return found


__all__ = ["AUTO", "Choice", "Ledger", "Skipped", "UN_CORPUS_ENV", "choose_group",
           "choose_group_periods", "choose_keyness_split", "choose_language", "choose_node",
           "choose_period", "choose_terms", "frequent_terms", "ledgers_of", "term_counts",
           "un_corpus"]
