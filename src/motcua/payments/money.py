"""Amounts of money as Vietnamese documents write them."""


def format_vnd(amount: int | None) -> str:
    """50000 → "50.000 đồng" (Vietnamese digit grouping with a dot)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"
