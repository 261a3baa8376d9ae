from motcua.core.compat import task


@task()
def recompute_window(days: int = 45) -> dict:
    """The nightly rebuild of the index's rolling window (see docs/indicators.md, Operations)."""
    from motcua.indicators.services import recompute

    return recompute(days)
