"""Checks on text that every app's models and forms share."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator

# C0 and C1 control characters (line breaks and tabs among them) and Unicode's line
# and paragraph separators: none belongs in a name, a subject or a company, and in a
# mail header a line break is an injection.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

single_line = RegexValidator(
    CONTROL_CHARACTERS,
    message="Keep this to one line: no line breaks, tabs or other control characters.",
    code="not_single_line",
    inverse_match=True,
)


def one_line(text: str) -> str:
    """``text`` with every run of control characters turned into one space: for text
    stored before ``single_line`` was checked, at the edges where a line break breaks
    something (mail headers, file names)."""
    return re.sub(r" {2,}", " ", CONTROL_CHARACTERS.sub(" ", text)).strip()
