"""Dates with their precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""

from __future__ import annotations

import datetime as _dt
import numbers
import re

PRECISIONS = ("year", "month", "day")

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_date(value: object) -> tuple[str, str]:
    """Normalise a date to (`YYYY[-MM[-DD]]`, precision); raise ValueError with a reason.

    Accepts strings, integers (a year) and `datetime.date` objects (as YAML and pandas give them).
    """
    if value is None or value != value:  # None, NaN, pandas NaT
        raise ValueError("date is missing")
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat(), "day"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):  # int, numpy int
        value = str(int(value))
    if not isinstance(value, str):
        raise ValueError(f"date {value!r} is not a string")
    text = value.strip()
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    y = int(year)
    if not 1800 <= y <= 2100:
        raise ValueError(f"date {value!r} has an implausible year")
    if month is None:
        return f"{y:04d}", "year"
    mo = int(month)
    if not 1 <= mo <= 12:
        raise ValueError(f"date {value!r} has month {mo} outside 1-12")
    if day is None:
        return f"{y:04d}-{mo:02d}", "month"
    try:
        d = _dt.date(y, mo, int(day))
    except ValueError as exc:
        raise ValueError(f"date {value!r} is not a calendar date ({exc})") from None
    return d.isoformat(), "day"

