"""The synthetic demo corpus: invented security-organization statements with planted, known signals.

`make_demo_documents(seed)` writes a few hundred short dated statements (CSTO, SCO, CIS; 2000-2026;
about 80 % English, 20 % Russian) from templates and returns them with the planted truth: five
topics whose shares drift over the years, rising / falling / flat terms, and sentence-level frame
labels (THREAT, MULTIPOLARITY, COOPERATION, partners; codebook in `docs/codebook.md`).
`write_demo(out_dir)` writes the corpus folder with `corpus.yml`, `truth.json` and a README.
Every text, speaker and event is invented; nothing is quoted from a real source.

Modules: `design` (the planted shares and probabilities), `names` (organizations, states,
cities), `render` (the sentence templates in `templates/en.yml` and `templates/ru.yml`),
`generate` (documents), `truth` (truth.json), `write` (the folder).
Run `python -m analysis.demo` to regenerate `corpus/demo` (byte for byte the same).
"""

from analysis.demo.design import SEED, TERM_DESIGN, TOPICS, topic_shares
from analysis.demo.generate import make_demo_documents
from analysis.demo.write import DEFAULT_OUT, write_demo

__all__ = ["DEFAULT_OUT", "SEED", "TERM_DESIGN", "TOPICS", "make_demo_documents", "topic_shares",
           "write_demo"]
