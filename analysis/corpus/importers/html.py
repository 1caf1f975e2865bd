"""Saved web pages of official statements (news items, speeches, interviews): the main text,
title and date of each page, extracted with trafilatura (Barbaresi 2021, ACL demo)."""

from __future__ import annotations

import copy
import hashlib
import logging
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from analysis.corpus.dates import parse_date
from analysis.corpus.importers import (
    IGNORED,
    ImportResult,
    binary_detail,
    clean_text,
    collect,
    iter_source_files,
    sanitize_id,
)
from analysis.corpus.io import decode_bytes, make_document
from analysis.corpus.language import LANGUAGES
from analysis.corpus.model import Document
from analysis.corpus.skips import Skip
from analysis.errors import CorpusError, check_choice, check_int

logger = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

# Page parts that are not the statement: navigation, share buttons, tooltips, hidden copies,
# print links, publication-status and meta blocks, category links, photo and video captions
# (`masha-ignore` marks such blocks on kremlin.ru), the page heading (kept as the title).
# Pruned before the main text is extracted; title and date are read before pruning.
PRUNE_XPATH = [
    "//nav", "//form", "//button", "//h1", "//figure", "//figcaption",
    "//*[@role='navigation' or @role='search' or @aria-hidden='true' or @hidden]",
    "//*[contains(@class, 'share') or contains(@class, 'social') or contains(@class, 'tooltip')"
    " or contains(@class, 'breadcrumb') or contains(@class, 'print') or contains(@class, 'categ')"
    " or contains(@class, 'caption') or contains(@class, 'player') or contains(@class, 'masha-ignore')]",
    # class tokens that end in 'meta' or 'status' (entry-meta, read__meta, read__status)
    "//*[contains(concat(normalize-space(@class), ' '), 'meta ')"
    " or contains(concat(normalize-space(@class), ' '), 'status ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' hidden ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' hidden-copy ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' sr-only ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' visually-hidden ')]",
    # the lead paragraph, which is prepended to the text (see `page_lead`)
    "//*[@itemprop='description']",
]

# Where a page states its publication date, most specific first.
DATE_XPATH = [
    "//time[@itemprop='datePublished']/@datetime",
    "//*[@itemprop='datePublished' and not(ancestor::*[contains(@itemtype, 'ImageObject')"
    " or contains(@itemtype, 'VideoObject')])]/@content",
    "//meta[@property='article:published_time' or @name='article:published_time']/@content",
    "//meta[translate(@name, 'DCTERMSAE', 'dctermsae')='dc.date'"
    " or translate(@name, 'DCTERMSAE', 'dctermsae')='dcterms.date'"
    " or translate(@name, 'DCTERMSAE', 'dctermsae')='dc.date.issued'"
    " or @name='date' or @name='pubdate' or @name='publish-date' or @name='publication_date']/@content",
    "//time[@pubdate]/@datetime",
]
LEAD_XPATH = "//*[@itemprop='description' and not(self::meta)]"
# The statement itself when the page marks it (schema.org articleBody); else the whole page.
BODY_XPATH = "//*[@itemprop='articleBody']"
# htmldate settings: the original publication date, from markup only (no guessing from the text).
DATE_CONFIG = {"extensive_search": False, "original_date": True}

_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T\s]|$)")
_HTML_TAG = re.compile(rb"<\s*(!doctype\s+html|html|head|body|title|p|div|article|meta)\b", re.I)


def normalise_date(value: str | None) -> str | None:
    """`YYYY[-MM[-DD]]` from an ISO-like date or timestamp; None when it is not one."""
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    text = "-".join(p for p in m.groups() if p)
    try:
        return parse_date(text)[0]
    except ValueError:
        return None


def page_date(tree: Any) -> str | None:
    """The publication date a page states in its markup (schema.org, Open Graph, Dublin Core)."""
    for xpath in DATE_XPATH:
        for value in tree.xpath(xpath):
            date = normalise_date(str(value))
            if date:
                return date
    return None


def page_lead(tree: Any) -> str:
    """The page's lead paragraph (schema.org `description` shown on the page), or ''."""
    for element in tree.xpath(LEAD_XPATH):
        text = " ".join(" ".join(element.itertext()).split())
        if text:
            return text
    return ""


def article_body(tree: Any) -> Any:
    """The page's marked article body as a page of its own, or the whole page."""
    bodies = [b for b in tree.xpath(BODY_XPATH) if "".join(b.itertext()).strip()]
    if len(bodies) != 1:
        return tree
    page = lxml.html.fromstring("<html><body></body></html>")
    page.find("body").append(copy.deepcopy(bodies[0]))
    return page


def extract_page(name: str, data: bytes | None, problem: str = "", *, language: str | None = None,
                 id_prefix: str = "") -> Document | Skip:
    """One saved page as a Document (title, date, url, main text), or a Skip with the reason.

    Pure: the same bytes give the same document. The date comes from the page's markup
    (`page_date`), else from trafilatura/htmldate without guessing from the text; no date ->
    Skip "missing date".
    """
    if data is None:
        return Skip(name, "unreadable file", problem)
    decoded = decode_bytes(data)
    if decoded.reason == "binary file":
        return Skip(name, decoded.reason, binary_detail(data, decoded.detail))
    if not _HTML_TAG.search(data[:65536]):
        return Skip(name, "not HTML", "no HTML tags (html, head, body, p, div) in the file")
    content: str | bytes = decoded.text if decoded.text is not None else data
    tree = trafilatura.load_html(content)
    if tree is None:
        return Skip(name, "not HTML", "trafilatura could not parse the page")
    date = page_date(tree)
    lead = page_lead(tree)
    info = trafilatura.extract_metadata(tree, date_config=DATE_CONFIG)
    doc = trafilatura.bare_extraction(
        article_body(tree), include_comments=False, include_tables=True, include_images=False,
        prune_xpath=PRUNE_XPATH,
    )
    body = clean_text(doc.text or "") if doc is not None else ""
    if not body and not lead:
        title = f" (title: {' '.join(info.title.split())[:100]!r})" if info.title else ""
        return Skip(name, "no main text", f"trafilatura found no text beyond the page's "
                                          f"headline and navigation{title}")
    if lead and not body.startswith(lead[:80]):
        body = f"{lead}\n{body}" if body else lead
    if date is None:
        date = normalise_date(info.date)
    if date is None:
        return Skip(name, "missing date", "no publication date in the page's markup "
                                          "(time/meta tags, JSON-LD)")
    doc_id = sanitize_id(PurePosixPath(name).stem, id_prefix)
    meta: dict[str, Any] = {"date": date, "file": name}
    for key, value in (("title", info.title), ("url", info.url), ("source", info.sitename),
                       ("tags", ", ".join(_tags(info.tags)))):
        if value:
            meta[key] = " ".join(str(value).split())
    if language:
        meta["language"] = language
    if not doc_id:  # a file name without letters or digits
        doc_id = f"{id_prefix}page_{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
    return make_document(name, meta, body, default_id=doc_id)


def _tags(tags: Any) -> list[str]:
    out: list[str] = []
    for tag in tags or []:
        for part in str(tag).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _page_item(args: tuple[str, bytes | None, str, str | None, str]) -> Document | Skip:
    name, data, problem, language, id_prefix = args
    if not name.lower().endswith(HTML_SUFFIXES):
        return Skip(name, IGNORED, f"not a web page ({_suffix(name)} file); pages are "
                                   f"{', '.join(HTML_SUFFIXES)} files")
    try:
        return extract_page(name, data, problem, language=language, id_prefix=id_prefix)
    except (ValueError, etree.LxmlError) as exc:  # a page that breaks the parser
        return Skip(name, "not HTML", f"the page could not be parsed ({exc.__class__.__name__})")


def _set_trafilatura_level(level: int) -> None:
    """Worker processes log trafilatura's messages at the parent's level."""
    logging.getLogger("trafilatura").setLevel(level)


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix or "no suffix"


def import_html(source: str | Path, *, language: str | None = None, id_prefix: str = "",
                limit: int | None = None, n_jobs: int = 1, name: str | None = None) -> ImportResult:
    """Import saved web pages from a folder of `.html` files or an archive of them.

    id = file name without suffix (sanitised; `id_prefix` prepended); metadata title, date,
    url, source (site name), tags and file; language detected unless `language` is given.
    `limit` reads only the first N files (a trial run); `n_jobs` extracts in N processes.
    """
    source = Path(source)
    if not source.exists():
        raise CorpusError(f"{source}: no such folder or archive of web pages")
    if language is not None:
        check_choice("language", language, LANGUAGES)
    if limit is not None:
        limit = check_int("limit", limit, minimum=1)
    n_jobs = check_int("n_jobs", n_jobs, minimum=1)
    info: dict[str, Any] = {
        "name": name or re.sub(r"(\.tar)?\.(t?gz|tar|zip|bz2|xz)$", "", source.name) or "html",
        "description": f"Web pages from {source.name}: main text, title and date extracted "
                       "with trafilatura.",
        "import": {"kind": "html", "source": str(source), "language": language,
                   "id_prefix": id_prefix or None, "limit": limit,
                   "trafilatura": trafilatura.__version__},
    }
    skipped: list[Skip] = []
    ignored: list[Skip] = []

    def jobs() -> Iterator[tuple[str, bytes | None, str, str | None, str]]:
        files = iter_source_files(source)
        if limit is not None:
            files = islice(files, limit)
        for entry, data, problem in files:
            yield entry, data, problem, language, id_prefix

    def items() -> Iterator[tuple[str, Document | Skip]]:
        if n_jobs == 1:
            for job in jobs():
                yield job[0], _page_item(job)
            return
        quiet = logging.getLogger("trafilatura").getEffectiveLevel()
        with ProcessPoolExecutor(max_workers=n_jobs, initializer=_set_trafilatura_level,
                                 initargs=(quiet,)) as pool:
            window = 32 * n_jobs  # bounded read-ahead: pages are not all held in memory
            pending = jobs()
            while batch := list(islice(pending, window)):
                for job, item in zip(batch, pool.map(_page_item, batch, chunksize=8), strict=True):
                    yield job[0], item

    return ImportResult(collect(items(), skipped, ignored), skipped, info, ignored)
