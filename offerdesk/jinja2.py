"""The one Jinja2 environment every page, fragment and document renders in."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from decisions import deadlines
from offerdesk.formats import date_text, money, number


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    # Autoescape arrives in ``options`` from settings.TEMPLATES: on for HTML, off only
    # for .txt/.eml text; tests render hostile text through every page to prove it.
    env = Environment(**options)  # nosec B701
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "today": timezone.localdate,
            # For macros/deadlines.html, the one place a page decides "deadline soon".
            "deadline_urgency": deadlines.urgency,
            "days_left": deadlines.days_left,
        }
    )
    env.filters.update(
        {"money": money, "number": number, "date": date_text, "days_in_words": deadlines.describe}
    )
    return env
