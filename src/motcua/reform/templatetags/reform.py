from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    """12345678 → 12.345.678 (Vietnamese grouping)."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{value}".replace(".", ",") + " %"
