"""motcua: the one-stop platform for Vietnam's administrative procedures."""

__version__ = "0.1.0"
