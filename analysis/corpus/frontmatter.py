"""Documents as text files with YAML front matter between `---` lines."""

from __future__ import annotations

from typing import Any

import yaml

# Keys every document may carry, written first and in this order.
CORE_KEYS = ("id", "date", "title", "language")
KNOWN_KEYS = CORE_KEYS + ("speaker", "post", "organization", "country", "session", "genre", "source", "url")
# libyaml's loader and dumper when PyYAML has them: the same YAML, about ten times faster,
# which matters for corpora of thousands of files.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """Safe YAML, but dates stay strings: `date: 2020-02-30` must reach `parse_date` and be
    reported as a malformed date, not crash the YAML parser."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
_LOADER = _Loader
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class FrontMatterError(ValueError):
    """Front matter that is not a YAML mapping between `---` lines."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body); a text without a leading `---` line has empty metadata."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return {}, text
    end = text.find("\n---", first_nl)
    while end >= 0:
        line_end = text.find("\n", end + 1)
        closing = text[end + 1 : line_end if line_end >= 0 else len(text)]
        if closing.strip() == "---":
            break
        end = text.find("\n---", end + 1)
    if end < 0:
        raise FrontMatterError("front matter opened with '---' is never closed")
    block = text[first_nl + 1 : end]
    body_start = text.find("\n", end + 1)
    body = "" if body_start < 0 else text[body_start + 1 :]
    try:
        meta = yaml.load(block, Loader=_LOADER) if block.strip() else {}
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise FrontMatterError(f"front matter is not valid YAML{where}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter is not a mapping of keys to values")
    return {str(k): v for k, v in meta.items()}, body


def render_document(meta: dict[str, Any], body: str) -> str:
    """Render metadata and body as a front-matter document, core keys first, deterministic."""
    ordered = {k: meta[k] for k in CORE_KEYS if meta.get(k) is not None}
    ordered.update({k: meta[k] for k in sorted(meta) if k not in ordered and meta[k] is not None})
    header = yaml.dump(ordered, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n{body.strip()}\n"
