"""Frame lexicons: readable, versioned YAML files, validated and merged with a user's own file.

The shipped lexicon is `analysis/data/framing/lexicon.yml`. A user file has the same shape and
is merged over it with `load_lexicon("my_terms.yml")`, so frames and terms can be added without
touching code::

    format: 1                 # file format version (required; this code reads format 1)
    version: "my-2025-06"     # your lexicon's own version, recorded with the results
    frames:
      threat:                 # an existing frame: subframes and terms are added
        subframes:
          terrorism_extremism:
            en: [jihadism, "suicide bomb*"]
            remove:           # drop shipped terms (as written in the shipped file)
              en: [bandit]
      energy_security:        # a new frame: a new column in the results
        label: Energy security
        subframes:
          supply:
            en: ["energy security", {term: pipeline, near: [attack, sabotage*]}]
            ru: ["энергетическ* безопасност*"]

A term is a string in the toolkit's pattern syntax (`analysis.preprocess.patterns`: `word*`,
globs, `=word`, acronyms, `a|b`; hyphen variants in `analysis.framing.matcher`) or a
mapping with `term` and context rules `near`, `not_near`, `window`, `not_prev`, `not_next`,
`capitalized`. A frame with `replace: true` replaces the shipped frame of that name.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from analysis.corpus.language import LANGUAGES
from analysis.errors import UserError
from analysis.framing.elements import Lemmatizer, term_elements
from analysis.framing.matcher import RULE_KEYS, Entry, compile_rules

FORMAT_VERSION = 1
CORE_FRAMES = ("threat", "multipolarity", "cooperation")
PARTNER_SEP = ";"  # joins a sentence's partners in the sentence tables and coded files
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
DATA_DIR = resources.files("analysis") / "data" / "framing"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(UserError):
    """A lexicon or gazetteer file that cannot be used, with the place of the problem."""


def load_yaml(path: str | Path | None, default_name: str) -> tuple[dict, str]:
    """A YAML mapping from `path` (or the shipped `default_name`) and a label naming its source."""
    if path is None:
        text = (DATA_DIR / default_name).read_text(encoding="utf-8")
        label = f"shipped {default_name}"
    else:
        p = Path(path)
        if not p.is_file():
            raise LexiconError(f"{p}: no such file.")
        text = p.read_text(encoding="utf-8")
        label = str(p)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{label}: not valid YAML ({exc}).") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{label}: the file must be a YAML mapping with `format` and other keys.")
    fmt = data.get("format")
    if fmt != FORMAT_VERSION:
        raise LexiconError(f"{label}: `format` must be {FORMAT_VERSION} (the file format version); "
                           f"got {fmt!r}.")
    return data, label


def normalize_term(item: Any, where: str) -> dict[str, Any]:
    """A term as a mapping {term, rules...}; raises with `where` naming the place."""
    if isinstance(item, str):
        spec: dict[str, Any] = {"term": item}
    elif isinstance(item, dict):
        spec = dict(item)
        unknown = set(spec) - {"term", *RULE_KEYS}
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)} in term {item!r}; "
                               f"allowed: term, {', '.join(RULE_KEYS)}.")
    else:
        raise LexiconError(f"{where}: a term must be a string or a mapping with `term`; got {item!r}.")
    term = spec.get("term")
    if not isinstance(term, str) or not term.strip():
        raise LexiconError(f"{where}: term {item!r} has no text.")
    spec["term"] = " ".join(term.split())
    for key in ("near", "not_near", "not_prev", "not_next"):
        value = spec.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise LexiconError(f"{where}: `{key}` of term {term!r} must be a list of words.")
        if key == "near" and all(isinstance(v, list) for v in value):
            if not all(v and all(isinstance(w, str) for w in v) for v in value):
                raise LexiconError(f"{where}: `near` of term {term!r} must be a list of words or a "
                                   "list of lists of words.")
        elif not all(isinstance(w, str) for w in value):
            hint = (" (YAML reads unquoted on/off/yes/no as true/false: write 'on' in quotes)"
                    if any(isinstance(w, bool) for w in value) else "")
            raise LexiconError(f"{where}: `{key}` of term {term!r} must be a list of words{hint}.")
        spec[key] = value
    window = spec.get("window", 0)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise LexiconError(f"{where}: `window` of term {term!r} must be an int >= 0; got {window!r}.")
    if "capitalized" in spec and not isinstance(spec["capitalized"], bool):
        raise LexiconError(f"{where}: `capitalized` of term {term!r} must be true or false.")
    return spec


def _terms(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{where}: expected a list of terms; got {type(value).__name__}.")
    return [normalize_term(v, where) for v in value]


@dataclass
class Subframe:
    """A subframe's label and its terms per language."""

    name: str
    label: str
    terms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Frame:
    """A frame: label, description, and subframes."""

    name: str
    label: str
    description: str = ""
    subframes: dict[str, Subframe] = field(default_factory=dict)

    def terms(self, language: str) -> list[tuple[str, dict[str, Any]]]:
        """(subframe, term spec) pairs for one language."""
        return [(s.name, t) for s in self.subframes.values() for t in s.terms.get(language, [])]


@dataclass
class Lexicon:
    """Frames with subframes and terms (EN, RU); `version` names the content, `sources` the files."""

    name: str
    version: str
    frames: dict[str, Frame]
    sources: list[str]

    @property
    def frame_names(self) -> list[str]:
        """Core frames first (threat, multipolarity, cooperation), then added frames in file order."""
        core = [f for f in CORE_FRAMES if f in self.frames]
        return core + [f for f in self.frames if f not in CORE_FRAMES]

    def entries(self, language: str, lemmatizer: Lemmatizer) -> list[Entry]:
        """Compiled terms of one language, payload (frame, subframe, term as written)."""
        out = []
        for fname in self.frame_names:
            for sub, spec in self.frames[fname].terms(language):
                rules = compile_rules(spec, lemmatizer)
                for elements in term_elements(spec["term"], lemmatizer, hyphens=True):
                    out.append(Entry(elements, (fname, sub, spec["term"]), rules))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The merged lexicon in the file format (what `write` saves)."""
        frames = {}
        for f in self.frames.values():
            subs = {}
            for s in f.subframes.values():
                subs[s.name] = {"label": s.label, **{lang: t for lang, t in s.terms.items() if t}}
            frames[f.name] = {"label": f.label, "description": f.description, "subframes": subs}
        return {"format": FORMAT_VERSION, "name": self.name, "version": self.version, "frames": frames}

    @property
    def hash(self) -> str:
        """Content hash of the merged lexicon (short hex)."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    def count_terms(self) -> dict[str, dict[str, int]]:
        """Number of terms per frame and language."""
        return {f: {lang: len(self.frames[f].terms(lang)) for lang in LANGUAGES} for f in self.frame_names}


def _merge_frames(frames: dict[str, Frame], data: dict, label: str) -> None:
    raw = data.get("frames")
    if not isinstance(raw, dict) or not raw:
        raise LexiconError(f"{label}: `frames` must be a mapping of frame names to frames.")
    for fname, fdata in raw.items():
        where = f"{label}: frame {fname!r}"
        if not isinstance(fname, str) or not _NAME.match(fname):
            raise LexiconError(f"{where}: frame names are lower-case letters, digits and _.")
        if not isinstance(fdata, dict):
            raise LexiconError(f"{where}: must be a mapping with `subframes`.")
        unknown = set(fdata) - {"label", "description", "subframes", "replace"}
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: label, "
                               "description, subframes, replace.")
        if fdata.get("replace") or fname not in frames:
            frames[fname] = Frame(fname, str(fdata.get("label") or fname.replace("_", " ").title()),
                                  str(fdata.get("description") or ""))
        frame = frames[fname]
        if fdata.get("label"):
            frame.label = str(fdata["label"])
        if fdata.get("description"):
            frame.description = str(fdata["description"])
        subs = fdata.get("subframes")
        if not isinstance(subs, dict) or not subs:
            raise LexiconError(f"{where}: `subframes` must be a mapping of subframe names to term lists.")
        for sname, sdata in subs.items():
            swhere = f"{where}, subframe {sname!r}"
            if not isinstance(sname, str) or not _NAME.match(sname):
                raise LexiconError(f"{swhere}: subframe names are lower-case letters, digits and _.")
            if not isinstance(sdata, dict):
                raise LexiconError(f"{swhere}: must be a mapping of languages (en, ru) to term lists.")
            unknown = set(sdata) - {"label", "remove", *LANGUAGES}
            if unknown:
                raise LexiconError(f"{swhere}: unknown key(s) {sorted(unknown)}; allowed: label, remove, "
                                   f"{', '.join(LANGUAGES)}.")
            sub = frame.subframes.setdefault(
                sname, Subframe(sname, str(sdata.get("label") or sname.replace("_", " "))))
            if sdata.get("label"):
                sub.label = str(sdata["label"])
            remove = sdata.get("remove") or {}
            if not isinstance(remove, dict):
                raise LexiconError(f"{swhere}: `remove` must map languages to lists of terms.")
            for lang, words in remove.items():
                gone = {" ".join(str(w).split()) for w in (words or [])}
                sub.terms[lang] = [t for t in sub.terms.get(lang, []) if t["term"] not in gone]
            for lang in LANGUAGES:
                new = _terms(sdata.get(lang), f"{swhere}, {lang}")
                have = {t["term"] for t in sub.terms.get(lang, [])}
                sub.terms.setdefault(lang, []).extend(t for t in new if t["term"] not in have)


def lexicon_from_dicts(*datas: tuple[dict, str]) -> Lexicon:
    """A lexicon from (mapping, source label) pairs, later ones merged over earlier ones."""
    frames: dict[str, Frame] = {}
    name, version, sources = "lexicon", "", []
    for data, label in datas:
        if data.get("format") != FORMAT_VERSION:
            raise LexiconError(f"{label}: `format` must be {FORMAT_VERSION}; got {data.get('format')!r}.")
        _merge_frames(frames, copy.deepcopy(data), label)
        name = str(data.get("name") or name)
        version = "+".join(v for v in (version, str(data.get("version") or "")) if v)
        sources.append(label)
    return Lexicon(name, version, frames, sources)


def load_lexicon(path: str | Path | dict | None = None, *, base: bool = True) -> Lexicon:
    """The shipped lexicon, with a user file (or mapping) merged over it.

    Parameters
    ----------
    path : a YAML file in the lexicon format (see the module docstring), a mapping of the same
        shape, or None for the shipped lexicon alone.
    base : merge over the shipped lexicon (default) or use the user file alone.
    """
    datas = []
    if base or path is None:
        datas.append(load_yaml(None, "lexicon.yml"))
    if isinstance(path, dict):
        datas.append((path, "user lexicon"))
    elif path is not None:
        datas.append(load_yaml(path, "lexicon.yml"))
    lexicon = lexicon_from_dicts(*datas)
    for frame in CORE_FRAMES:
        if base and frame not in lexicon.frames:
            raise LexiconError(f"the lexicon lacks the core frame {frame!r}.")
    return lexicon
