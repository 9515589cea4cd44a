"""Numbers as people read them: money in a currency, plain numbers with grouping.

Plain functions, used by the template environment and by any read that writes a
sentence (the claims of the compare page), so that both write a figure the same way.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal, parse_pattern

NO_VALUE = "—"
# Parsed once: Babel's format_currency parses its pattern and locale on every call.
MONEY_PATTERN = parse_pattern("¤#,##0")
LOCALE = Locale.parse("en_US")


def money(value: Decimal | int | float | None, currency: str) -> str:
    """Whole units with grouping and the currency's symbol: 120000, "EUR" -> "€120,000"."""
    if value is None:
        return NO_VALUE
    return MONEY_PATTERN.apply(value, LOCALE, currency=currency, currency_digits=False)


def number(value: Decimal | int | float | None, digits: int = 0) -> str:
    if value is None:
        return NO_VALUE
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="en_US")
