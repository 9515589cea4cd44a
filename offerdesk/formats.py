"""Numbers as people read them: money in a currency, plain numbers with grouping,
and money found again in text someone wrote.

Plain functions, used by the template environment and by any read that writes a
sentence (the claims of the compare page), so that both write a figure the same way;
the message checks and a coach's view of the messages find figures with one pattern.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal, parse_pattern
from django.utils import formats, timezone

NO_VALUE = "—"
# Parsed once: Babel's format_currency parses its pattern and locale on every call.
MONEY_PATTERN = parse_pattern("¤#,##0")
# Money where cents matter (a price per share, a month's salary): "£4.00".
CENTS_PATTERN = parse_pattern("¤#,##0.00")
LOCALE = Locale.parse("en_US")


def money(value: Decimal | int | float | None, currency: str) -> str:
    """Whole units with grouping and the currency's symbol: 120000, "EUR" -> "€120,000"."""
    if value is None:
        return NO_VALUE
    return MONEY_PATTERN.apply(value, LOCALE, currency=currency, currency_digits=False)


def money_cents(value: Decimal | int | float | None, currency: str) -> str:
    """Money to the cent, where cents matter (a price per share, a month's salary):
    4, "GBP" -> "£4.00"."""
    if value is None:
        return NO_VALUE
    return CENTS_PATTERN.apply(value, LOCALE, currency=currency, currency_digits=False)


def number(value: Decimal | int | float | None, digits: int = 0) -> str:
    if value is None:
        return NO_VALUE
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="en_US")


def date_text(value: dt.date | dt.datetime | str | None, format_name: str = "DATE_FORMAT") -> str:
    """A date, or a datetime shown in the current time zone, in Django's named formats:
    the one way every page, log summary and message writes a day ("Dec. 3, 2026"). A
    date as ISO text (how a message's details and the log keep one) is read first."""
    if value is None:
        return NO_VALUE
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a date after all: shown as it is, never a failed page
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format_name)


# Money in free text -------------------------------------------------------------

_CURRENCY = r"(?:[$£€¥]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|SEK|NOK|DKK|euros?|dollars?|pounds?)\b)"
_AMOUNT = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
# A figure a message states: "€85,000", "150k", "92.000 EUR", "95,000".
MONEY = re.compile(
    rf"""
      {_CURRENCY}\s?(?:{_AMOUNT})\s?[kKmM]?\b
    | \b(?:{_AMOUNT})\s?(?:[kK]|[mM]{{1,2}}|million)?\s?{_CURRENCY}
    | \b\d{{2,4}}(?:[.,]\d)?\s?[kK]\b
    | \b\d{{1,3}}(?:[.,\u00a0\u202f]\d{{3}})+\b
    """,
    re.VERBOSE,
)
_NUMBER_WORD = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred)"
)
# A figure written out: "ninety-five thousand", "a hundred and ten thousand euros",
# "1.2 million". Not every way of writing a number, but the ways a salary is written.
SPELLED_MONEY = re.compile(
    rf"""\b(?:an?|{_NUMBER_WORD})(?:[\s-]+(?:and|{_NUMBER_WORD}))*[\s-]+
        (?:thousand|million|grand)\b(?:\s+{_CURRENCY})?""",
    re.IGNORECASE | re.VERBOSE,
)
# Figures that may be pay though no currency is named, for hiding only (the checks
# would remark on every postcode): "95 000", "95000", "USD95000", "a 10% raise".
LOOSE_FIGURE = re.compile(
    r"""(?:\b[A-Z]{3})?\d{1,3}(?:[\u00a0\u202f ]\d{3})+\b
      | (?:\b[A-Z]{3})?\d{5,}\b
      | \b\d+(?:[.,]\d+)?\s?%""",
    re.VERBOSE,
)
HIDDEN_AMOUNT = "[amount hidden]"


def blank_money(text: str, hidden: str = HIDDEN_AMOUNT) -> str:
    """``text`` with every money figure in it put as ``hidden``, digits ("€85,000",
    "150k", "92.000 EUR", "95000", "10%") and words ("ninety-five thousand") alike: the
    message as a reader who may not see pay reads it. It hides more than the checks
    remark on (a postcode too), since what it misses shows. The words around each
    figure stay as written."""

    def blank(match: re.Match[str]) -> str:
        figure = match.group(0)
        return (
            figure[: len(figure) - len(figure.lstrip())] + hidden + figure[len(figure.rstrip()) :]
        )

    for pattern in (SPELLED_MONEY, MONEY, LOOSE_FIGURE):
        text = pattern.sub(blank, text)
    return text
