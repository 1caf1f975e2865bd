"""Preprocessing: sentences, tokens, lemmas (EN/RU), stop words, multi-word expressions, phrases, cache."""

from analysis.preprocess.pipeline import (
    PreprocessParams,
    ProcessedDoc,
    preprocess_batch,
    process_sentence,
)
from analysis.preprocess.text import split_sentences, tokenize
from analysis.preprocess.tokens import Tokens, preprocess

__all__ = [
    "PreprocessParams",
    "ProcessedDoc",
    "Tokens",
    "preprocess",
    "preprocess_batch",
    "process_sentence",
    "split_sentences",
    "tokenize",
]
