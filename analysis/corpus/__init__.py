"""Corpora: the `Corpus` type, the folder and table formats, importers and the skip list."""

from analysis.corpus.io import load_corpus, write_corpus
from analysis.corpus.model import Corpus, Document
from analysis.corpus.skips import Skip, write_skip_list

__all__ = ["Corpus", "Document", "Skip", "load_corpus", "write_corpus", "write_skip_list"]
