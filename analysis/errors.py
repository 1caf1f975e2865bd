"""The one family of user-facing errors: a message for a person, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or settings; the CLI prints it and exits non-zero."""


class CorpusError(UserError):
    """A corpus that cannot be read or is unfit for a method."""


class ParameterError(UserError):
    """A parameter outside the values a function accepts."""


def check_choice(name: str, value: str, choices: tuple[str, ...] | list[str]) -> str:
    """Return `value` if it is one of `choices`, else raise a message listing them."""
    if value not in choices:
        raise ParameterError(f"`{name}` must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return value


def check_int(name: str, value: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return `value` as an int within [minimum, maximum], else raise a message naming it."""
    try:
        out = int(value)
    except (TypeError, ValueError):
        raise ParameterError(f"`{name}` must be an integer; got {value!r}.") from None
    if minimum is not None and out < minimum:
        raise ParameterError(f"`{name}` must be an int >= {minimum}; got {out}.")
    if maximum is not None and out > maximum:
        raise ParameterError(f"`{name}` must be an int <= {maximum}; got {out}.")
    return out
