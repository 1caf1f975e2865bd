"""Writing the demo corpus folder: documents, `corpus.yml`, `truth.json` and a README of the truth."""

from __future__ import annotations

import logging
from pathlib import Path

from analysis.corpus.io import write_corpus
from analysis.corpus.model import Document
from analysis.demo.design import (
    GENERATOR_COMMAND,
    GENERATOR_FILE,
    GENERATOR_NAME,
    GENERATOR_VERSION,
    N_LABELLED,
    SEED,
    TOPIC_DRIFT,
    TOPICS,
)
from analysis.demo.generate import make_demo_documents
from analysis.demo.names import GENRES, ORGS
from analysis.demo.truth import truth_json

logger = logging.getLogger(__name__)

DEFAULT_OUT = "corpus/demo"
TRUTH_FILE = "truth.json"
README_FILE = "README.md"

CORPUS_INFO = {
    "name": "demo",
    "synthetic": True,
    "description": (
        "SYNTHETIC demo corpus: invented short statements, speeches, interviews and communiques in "
        "the style of CSTO, SCO and CIS press releases, 2000-2026, English and Russian, generated "
        f"from templates by {GENERATOR_FILE} with planted topics, term trends and frames "
        "(see truth.json and README.md). Not real documents; no real speaker is quoted."),
    "license": "CC0-1.0 (texts written by the project's generator; no third-party text)",
    "citation": (f"Security Discourse Toolkit synthetic demo corpus ({GENERATOR_NAME}, seed "
                 f"{SEED}, generator version {GENERATOR_VERSION})."),
    "generator": GENERATOR_COMMAND,
    "seed": SEED,
}


def _table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def readme_text(documents: list[Document], truth: dict) -> str:
    """README.md for the demo corpus folder: what it is, and every planted signal."""
    n = len(documents)
    n_ru = sum(d.language == "ru" for d in documents)
    prec = {"day": 0, "month": 0, "year": 0}
    for d in documents:
        prec[{3: "day", 2: "month", 1: "year"}[len(d.date.split("-"))]] += 1
    orgs = {o: sum(d.meta["organization"] == o for d in documents) for o in ORGS}
    genres = {g: sum(d.meta["genre"] == g for d in documents) for g in GENRES}
    marks = ["2000", "2005", "2010", "2014", "2018", "2022", "2026"]
    topic_rows = [["topic", "key terms (EN lemmas)", *marks]]
    for t in TOPICS:
        spec = truth["topics"][t]
        topic_rows.append([t, ", ".join(spec["key_terms"]),
                           *[f"{spec['share_by_year'][y]:.2f}" for y in marks]])
    term_rows = [["term (EN)", "term (RU)", "direction", *[f"p {y}" for y in marks]]]
    for t, spec in truth["terms"]["planted"].items():
        term_rows.append([f"`{t}`", f"`{spec['lemma_ru']}`", spec["direction"],
                          *[f"{spec['doc_probability_by_year'][y]:.2f}" for y in marks]])
    frame_rows = [["frame", *marks]]
    for f, by_year in truth["frames"]["share_by_year"].items():
        frame_rows.append([f, *[f"{by_year[y]:.2f}" for y in marks]])
    labelled = truth["frames"]["sentences"]
    return f"""# Demo corpus (SYNTHETIC)

**Every document in this folder is synthetic and invented.** The texts were generated from
templates by `{GENERATOR_FILE}` (`{GENERATOR_COMMAND}`, seed {SEED}); the
statements, speakers, meetings, exercises and numbers are made up and quote no real source or
person. Organizations (CSTO, SCO, CIS) and states are named only to make the genre recognisable.
Use it to learn the toolkit and to check that methods recover the planted signals below; never
cite it as evidence about real discourse. Figures made from it are captioned "synthetic demo
corpus". Licence: CC0 (written by the project).

## Contents

- {n} documents, {min(d.date for d in documents)[:4]}-{max(d.date for d in documents)[:4]},
  {n - n_ru} English and {n_ru} Russian (a fifth of each year's documents, rounded).
- Dates: {prec["day"]} `YYYY-MM-DD`, {prec["month"]} `YYYY-MM`, {prec["year"]} `YYYY`.
- Metadata: `title`, `organization` ({", ".join(f"{k} {v}" for k, v in orgs.items())}),
  `country` (ISO3 of the speaker's state), `speaker` (an invented generic role, in English for
  both languages), `genre` ({", ".join(f"{k} {v}" for k, v in genres.items())}).
- Each document: an opening sentence (date, body, city), 9-15 sentences in 1-4 paragraphs, a
  closing line for speeches and some communiques and interviews.
- `truth.json`: the planted truth as data (below). `corpus.yml` says `synthetic: true`.

Re-running the generator reproduces every file here byte for byte
(`tests/test_corpus_demo.py` checks it).

## Planted signal 1: topics

Five topics, each written with its own sentence templates that use its key lemmas (as the
default preprocessing produces them; Russian key lemmas are in `truth.json`). A document mixes
1-3 topics: each year's topical sentences are split among the topics by the planted shares
(systematic sampling), cut into runs of 2-4 sentences of one topic, shuffled and dealt to the
year's documents. Planted shares (`share_by_year`; the realised mean share of a topic among a
document's topical sentences, averaged over the year's documents, is `realized_share_by_year`):

{_table(topic_rows)}

Drift: {TOPIC_DRIFT}

## Planted signal 2: term trends

Each planted term has its own sentences; a document carries one such sentence with the year's
probability `p` (linear between design points; flat terms have the same probability every
year, so their rate per 10,000 tokens is constant in expectation). The terms are written as
default preprocessing gives them (`multipolar_world` is the protected multi-word expression
for "multipolar world"). Measured counts and rates per 10,000 English tokens by year are in
`truth.json` (`terms.planted.<term>`).

{_table(term_rows)}

Rising and falling terms are strong enough for a per-term trend test over years with
Benjamini-Hochberg correction (about 14 documents a year); flat terms should not be found.
Topic vocabulary also drifts with its topic (e.g. `cyber`, `disinformation` rise with
information security; `terrorism` falls after 2010), which a trend test will rightly find too.

## Planted signal 3: frames

Every sentence template carries labels under the project codebook
(`shared/framing/codebook.md`): THREAT, MULTIPOLARITY, COOPERATION and partners (canonical short
names: UN, CSTO, SCO, CIS, EAEU, OSCE, BRICS, ASEAN, EU, NATO, states by English short name). Partners
are the organizations and states that fill partner slots of a COOPERATION sentence, the
speaker's own organization included when named; a place named only as the source of a danger
(Afghanistan, Syria and Iraq, the Middle East) is never a partner. Hard negative cases from the
codebook are planted at constant rates: goals with no danger named, "challenges" alone,
membership or observer status without joint work, requests to support one's own initiative;
"The UN remains our main partner" and "contacts with the OSCE / NATO have been suspended"
(from 2014) are COOPERATION only.

`truth.json` → `frames.sentences` lists all {len(labelled)} sentences of
{len(truth["frames"]["labelled_docs"])} labelled documents ({N_LABELLED["en"]} English,
{N_LABELLED["ru"]} Russian) with labels, partners and `sentence_index` (the position in
`analysis.preprocess.split_sentences(text)`). Share of sentences carrying each frame, all
documents:

{_table(frame_rows)}

Drift: {truth["frames"]["drift"]}

## Limits

Template text is far more regular than real statements: methods will look better here than on
real corpora. The labels are the templates' labels, applied consistently; a human coder may
disagree on borderline templates (e.g. drills announced without the word "joint" are coded as
no COOPERATION). Russian texts carry the same signals in official-register Russian but fewer
template variants.
"""


def write_demo(out_dir: str | Path = DEFAULT_OUT, *, seed: int = SEED) -> Path:
    """Write the demo corpus, `corpus.yml`, `truth.json` and `README.md` to `out_dir`.

    Document files of an earlier run (`doc<year>_<nn>.txt`) are removed first, so the folder
    holds exactly this run.
    """
    from analysis.paths import resolve

    out = Path(resolve(out_dir))
    documents, truth = make_demo_documents(seed)
    if out.is_dir():
        for old in out.glob("doc[0-9][0-9][0-9][0-9]_[0-9][0-9].txt"):
            old.unlink()
    info = dict(CORPUS_INFO, seed=seed)
    write_corpus(documents, out, info=info)
    (out / TRUTH_FILE).write_text(truth_json(truth), encoding="utf-8")
    (out / README_FILE).write_text(readme_text(documents, truth), encoding="utf-8")
    logger.info("wrote %d synthetic demo documents to %s", len(documents), out)
    return out
