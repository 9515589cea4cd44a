"""The currencies an offer or a decision can be expressed in.

A closed list keeps the select short and lets the database refuse a typo; the
names come from Babel's CLDR data so they read the same as the formatted amounts.
"""

from __future__ import annotations

from babel.numbers import get_currency_name

CURRENCY_CODES = (
    "AED", "ARS", "AUD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK",
    "DKK", "EGP", "EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "JPY",
    "KRW", "MXN", "MYR", "NGN", "NOK", "NZD", "PHP", "PLN", "RON", "SAR",
    "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD", "VND", "ZAR",
)  # fmt: skip

CURRENCY_CHOICES = [
    (code, f"{code} · {get_currency_name(code, locale='en')}") for code in CURRENCY_CODES
]
