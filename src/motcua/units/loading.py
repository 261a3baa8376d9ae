"""Loading the bundled official unit lists, conversion table and organ codes (idempotent)."""


def load_units() -> dict[str, int]:
    """Load pre-2025 and current units and the conversion table; returns counts by kind."""
    return {}


def load_agencies() -> dict[str, int]:
    """Load the bundled organ codes; returns counts by kind."""
    return {}
