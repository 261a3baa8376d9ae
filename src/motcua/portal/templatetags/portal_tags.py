"""Formatting the portal needs beyond Django's filters: Vietnamese dates and percentages."""

import re
from datetime import date

from django import template
from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def short_date(value: date | None) -> str:
    """dd/mm/yyyy in Vietnamese (how official documents write dates), '20 Nov 2014' in English.

    Django's Vietnamese SHORT_DATE_FORMAT uses hyphens (20-11-2014), which Vietnamese documents do not.
    """
    if not value:
        return ""
    if (get_language() or "vi").startswith("vi"):
        return value.strftime("%d/%m/%Y")
    return f"{value.day} {value.strftime('%b %Y')}"


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share of 0–100 with the locale's decimal separator: 80,7% in Vietnamese, 80.7% in English."""
    if value is None:
        return ""
    return f"{number_format(round(value, digits), decimal_pos=digits)}%"


@register.filter
def bar(count: int, maximum: int) -> str:
    """Width of a CSS bar as a percentage, always with a dot (CSS does not read '45,5%')."""
    if not maximum:
        return "0"
    return f"{100 * count / maximum:.1f}"


@register.filter
def num(value) -> str:
    """An integer grouped by thousands in the active language: 2.849 in Vietnamese, 2,849 in English.

    Django's `intcomma` does not group in Vietnamese (its locale sets no NUMBER_GROUPING).
    """
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return numberformat.format(
        number, get_format("DECIMAL_SEPARATOR"), grouping=3, thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


_BULLET = re.compile(r"^\s*[-+*•]\s+")


@register.filter
def unbullet(text: str) -> str:
    """Drop the list dash a source put before an item ("- Giấy chứng sinh"): the page lists it already."""
    return _BULLET.sub("", text or "")
