"""The demo documents: planned per year, topical sentences dealt by the planted shares, rendered.

`make_demo_documents(seed)` is pure (no I/O): the same seed gives the same documents and truth,
byte for byte (only `random.Random(seed)` draws).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from analysis.corpus.model import Document
from analysis.demo.design import (
    HARD_CASE_PROBABILITY,
    RU_FRACTION,
    SEED,
    TERM_DESIGN,
    TOPICS,
    YEARS,
    multipolarity_probability,
    term_probability,
    topic_shares,
)
from analysis.demo.names import (
    BODIES,
    CITIES,
    FOUNDED,
    GENRE_WEIGHTS,
    GENRES,
    MONTHS_EN,
    MONTHS_RU_GEN,
    MONTHS_RU_LOC,
    ORG_RU,
    ORGS,
    RU_SPEAKING,
    SPEAKER_WEIGHTS,
    SPEAKERS,
    SPEAKERS_RU,
    TITLE_TOPIC_EN,
    TITLE_TOPIC_RU,
    members,
)
from analysis.demo.render import TEMPLATES, Context, Sentence, Template, org_form, render
from analysis.demo.truth import planted_truth
from analysis.preprocess.text import split_sentences


def _date(rng: random.Random, year: int, org: str) -> tuple[str, str]:
    """A date string with mixed precision (mostly days); SCO documents start in June 2001."""
    precision = rng.choices(["day", "month", "year"], weights=[80, 15, 5])[0]
    month = rng.randint(1, 12)
    if org == "SCO" and year == 2001:
        month = rng.randint(6, 12)
        precision = "day" if precision == "year" else precision
    day = rng.randint(1, 28)
    if precision == "day":
        return f"{year:04d}-{month:02d}-{day:02d}", precision
    if precision == "month":
        return f"{year:04d}-{month:02d}", precision
    return f"{year:04d}", precision


def _date_phrase(date: str, language: str) -> str:
    parts = [int(p) for p in date.split("-")]
    if language == "en":
        if len(parts) == 3:
            return f"On {parts[2]} {MONTHS_EN[parts[1] - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"In {MONTHS_EN[parts[1] - 1]} {parts[0]}"
        return f"In {parts[0]}"
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS_RU_GEN[parts[1] - 1]} {parts[0]} года"
    if len(parts) == 2:
        return f"В {MONTHS_RU_LOC[parts[1] - 1]} {parts[0]} года"
    return f"В {parts[0]} году"


def _opening(ctx: Context, genre: str, date: str, speaker: str, body: tuple[str, str]) -> list[Sentence]:
    rng = ctx.rng
    when = _date_phrase(date, ctx.language)
    en = ctx.language == "en"
    org = org_form(ctx.org, rng, ctx.language)
    city = ctx.city[0] if en else ctx.city[1]
    out: list[Template] = []
    if genre == "statement":
        out.append((f"{when}, the {speaker} of {org} {{issued|made}} a statement on the "
                    "{situation in the region|results of the recent consultations|current agenda}."
                    if en else
                    f"{when} {SPEAKERS_RU[speaker]} {org} {{распространил заявление|выступил с "
                    "заявлением} {о ситуации в регионе|по текущей повестке}.", 0, 0, 0))
    elif genre == "speech":
        if rng.random() < 0.6:
            out.append(("{Dear colleagues|Distinguished participants}!" if en else
                        "{Уважаемые коллеги|Уважаемые участники заседания}!", 0, 0, 0))
        out.append((f"{when}, the {speaker} {{addressed|spoke at}} the meeting of the {body[0]} of "
                    f"{org} in {city}." if en else
                    f"{when} {SPEAKERS_RU[speaker]} выступил на заседании {body[1]} {org} в {city}.",
                    0, 0, 1))
    elif genre == "interview":
        out.append((f"{when}, the {speaker} {{gave an interview to|answered questions from}} "
                    "{a national news agency|a leading newspaper|a television channel}." if en else
                    f"{when} {SPEAKERS_RU[speaker]} {{дал интервью|ответил на вопросы}} "
                    "{информационному агентству|ведущей газете|телеканалу}.", 0, 0, 0))
    else:
        out.append((f"{when}, the {body[0]} of {org} held {{its regular session|a meeting}} in "
                    f"{city}." if en else
                    f"{when} в {city} {{состоялось очередное заседание|прошло заседание}} {body[1]} "
                    f"{org}.", 0, 0, 1))
    sentences = []
    for t in out:
        s = render(t, ctx, "opening")
        if t[3]:  # the meeting of the organization's bodies: its member states work together
            s.partners = [ctx.org]
        sentences.append(s)
    return sentences


def _closing(ctx: Context, genre: str) -> list[Sentence]:
    en = ctx.language == "en"
    if genre == "speech":
        t = ("Thank you for your attention." if en else "Благодарю за внимание.", 0, 0, 0)
    elif genre == "communique" and ctx.rng.random() < 0.6:
        t = ("The next meeting will take place in [NEXT]." if en else
             "Следующее заседание состоится в [NEXT] году.", 0, 0, 0)
    elif genre == "interview" and ctx.rng.random() < 0.5:
        t = ("{We look to the future with confidence|Much remains to be done}." if en else
             "{Мы с уверенностью смотрим в будущее|Многое еще предстоит сделать}.", 0, 0, 0)
    else:
        return []
    return [render(t, ctx, "closing")]


_LATE_TEMPLATES = {"Belt and Road": 2015, "«Пояс и путь»": 2015, "\"Proxy\"": 2009}


def _min_year(text: str) -> int:
    """The first year a template is plausible in (events and initiatives that start later)."""
    return max([y for k, y in _LATE_TEMPLATES.items() if k in text], default=0)


def _quota(rng: random.Random, shares: dict[str, float], total: int) -> dict[str, int]:
    """Split `total` sentences by `shares` with systematic sampling: unbiased, minimal variance."""
    u = rng.random()
    counts = dict.fromkeys(TOPICS, 0)
    bounds, acc = [], 0.0
    for t in TOPICS:
        acc += shares[t]
        bounds.append((acc, t))
    for i in range(total):
        point = (u + i) / total * acc
        counts[next((t for b, t in bounds if point < b), TOPICS[-1])] += 1
    return counts


def allocate_year(rng: random.Random, year: int, sizes: Sequence[int]) -> list[dict[str, int]]:
    """Topic sentence counts for each document of a year.

    The year's topical sentences are split among topics by the planted shares (so the realised
    yearly share is the planted one up to rounding), cut into runs of two to four sentences of
    one topic, shuffled, and dealt to the documents in turn: each document gets one to three
    topics.
    """
    counts = _quota(rng, topic_shares(year), sum(sizes))
    runs: list[str] = []
    for t in TOPICS:
        left = counts[t]
        while left > 0:
            k = min(left, rng.randint(2, 4))
            runs.extend([t] * k)
            left -= k
            runs.append("|")
    blocks = [b.split(",") for b in ",".join(runs).strip("|,").split(",|,") if b]
    rng.shuffle(blocks)
    sequence = [t for block in blocks for t in block]
    out: list[dict[str, int]] = []
    pos = 0
    for size in sizes:
        chunk = sequence[pos : pos + size]
        pos += size
        alloc = {t: chunk.count(t) for t in TOPICS if t in chunk}
        used = sorted(alloc, key=lambda t: (-alloc[t], TOPICS.index(t)))
        for t in used[3:]:  # at most three topics per document
            alloc[used[0]] += alloc.pop(t)
        out.append(alloc)
    return out


def _plan_document(rng: random.Random, year: int, language: str) -> dict[str, Any]:
    """Everything of a document but its topical sentences (whose topics are allocated per year)."""
    org_choices = ["CSTO", "CIS"] if year < FOUNDED["SCO"] else list(ORGS)
    org = rng.choices(org_choices, weights=[4, 3] if year < FOUNDED["SCO"] else [4, 3.5, 2.5])[0]
    pool = members(org, year)
    if language == "ru":
        pool = [c for c in pool if c in RU_SPEAKING]
    country = rng.choices(pool, weights=[SPEAKER_WEIGHTS.get(c, 1) for c in pool])[0]
    genre = rng.choices(GENRES, weights=GENRE_WEIGHTS)[0]
    body = rng.choice(BODIES[org])
    if genre == "communique":  # a communique speaks for the body that met
        speaker = f"Chairman of the {body[0]}"
    else:
        speaker = rng.choice([r for r in SPEAKERS[org] if genre != "statement" or r != "Head of State"])
    date, _ = _date(rng, year, org)
    ctx = Context(rng, language, org, year, country, rng.choice(CITIES[org]))
    templates = TEMPLATES[language]
    term_t, multi_t, hard_t = templates.terms, templates.multipolarity, templates.hard

    opening = _opening(ctx, genre, date, speaker, body)
    closing = _closing(ctx, genre)
    extras: list[Sentence] = []
    planted_terms = []
    for term in TERM_DESIGN:
        if rng.random() < term_probability(term, year):
            planted_terms.append(term)
            extras.append(render(rng.choice(term_t[term]), ctx, f"term:{term}",
                                 prefix=rng.random() < 0.2))
    if rng.random() < multipolarity_probability(year):
        extras.append(render(rng.choice(multi_t), ctx, "multipolarity", prefix=rng.random() < 0.2))
    for case, p in HARD_CASE_PROBABILITY.items():
        if rng.random() < p:
            options = hard_t[case] if case != "un_partner" or year >= 2014 else hard_t[case][:1]
            extras.append(render(rng.choice(options), ctx, f"hard:{case}"))
    n_total = rng.randint(9, 15)
    n_topic = max(3, n_total - len(opening) - len(closing) - len(extras))
    return {"ctx": ctx, "org": org, "country": country, "genre": genre, "speaker": speaker,
            "body": body, "date": date, "language": language, "opening": opening,
            "closing": closing, "extras": extras, "n_topic": n_topic, "terms": planted_terms}


def _finish_document(plan: dict[str, Any], allocation: dict[str, int]) -> dict[str, Any]:
    """Render the topical sentences, mix in the planned sentences, and lay out paragraphs."""
    ctx = plan["ctx"]
    rng, year = ctx.rng, ctx.year
    topic_t = TEMPLATES[ctx.language].topics
    topical: list[Sentence] = []
    for topic, k in allocation.items():
        choices = [t for t in topic_t[topic] if year >= _min_year(t[0])]
        rng.shuffle(choices)
        for i in range(k):
            topical.append(render(choices[i % len(choices)], ctx, f"topic:{topic}",
                                  prefix=rng.random() < 0.2))
    body_sentences = list(topical)
    for s in plan["extras"]:
        body_sentences.insert(rng.randint(0, len(body_sentences)), s)
    sentences = plan["opening"] + body_sentences + plan["closing"]
    n_par = 1 if len(sentences) < 6 else rng.choice([2, 3, 3, 4])
    cuts = sorted(rng.sample(range(1, len(sentences)), n_par - 1)) if n_par > 1 else []
    paragraphs, start = [], 0
    for cut in [*cuts, len(sentences)]:
        paragraphs.append(" ".join(s.text for s in sentences[start:cut]))
        start = cut
    text = "\n\n".join(paragraphs)
    split = split_sentences(text)
    if split != [s.text for s in sentences]:  # a template broke sentence splitting
        raise RuntimeError(f"demo generator: sentence split mismatch in {year}: "
                           f"{[s for s in split if s not in [x.text for x in sentences]]}")
    main_topic = max(allocation, key=lambda t: (allocation[t], -TOPICS.index(t)))
    title = _title(ctx, plan["genre"], plan["speaker"], plan["body"], main_topic)
    keys = ("org", "country", "genre", "speaker", "date", "language", "terms")
    return {**{k: plan[k] for k in keys}, "text": text, "title": title, "sentences": sentences,
            "topics": allocation}


def _title(ctx: Context, genre: str, speaker: str, body: tuple[str, str], topic: str) -> str:
    org = ctx.org
    if ctx.language == "en":
        if genre == "statement":
            return f"Statement of the {org} Secretariat on {TITLE_TOPIC_EN[topic]}"
        if genre == "speech":
            return f"Speech by the {speaker} at the meeting of the {org} {body[0]}"
        if genre == "interview":
            return f"Interview of the {speaker} on {TITLE_TOPIC_EN[topic]}"
        return f"Joint communique of the {org} {body[0]}"
    ru = ORG_RU[org]
    if genre == "statement":
        return f"Заявление Секретариата {ru} о {TITLE_TOPIC_RU[topic]}"
    if genre == "speech":
        return f"Выступление на заседании {body[1]} {ru}"
    if genre == "interview":
        return f"Интервью о {TITLE_TOPIC_RU[topic]}"
    return f"Совместное коммюнике {body[1]} {ru}"


def make_demo_documents(seed: int = SEED) -> tuple[list[Document], dict]:
    """The synthetic demo documents and their planted truth (pure: no I/O).

    Same seed, same documents and truth, byte for byte (only `random.Random(seed)` draws).
    """
    rng = random.Random(seed)
    raw: list[tuple[str, dict[str, Any]]] = []
    for year in YEARS:
        n_docs = rng.randint(12, 16)
        n_ru = round(RU_FRACTION * n_docs)  # every year has Russian documents
        languages = ["ru"] * n_ru + ["en"] * (n_docs - n_ru)
        rng.shuffle(languages)
        plans = [_plan_document(rng, year, language) for language in languages]
        allocations = allocate_year(rng, year, [p["n_topic"] for p in plans])
        year_docs = [_finish_document(p, a) for p, a in zip(plans, allocations, strict=True)]
        year_docs.sort(key=lambda d: (d["date"], d["org"], d["title"], d["text"]))
        for k, d in enumerate(year_docs, start=1):
            raw.append((f"doc{year}_{k:02d}", d))

    documents = [
        Document(doc_id, d["text"], d["language"], d["date"],
                 {"title": d["title"], "organization": d["org"], "country": d["country"],
                  "speaker": d["speaker"], "genre": d["genre"]})
        for doc_id, d in raw
    ]
    truth = planted_truth(raw, rng, seed)
    return documents, truth
