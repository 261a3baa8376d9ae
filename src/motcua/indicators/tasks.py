from motcua.core.compat import task


@task()
def recompute_window(days: int = 45) -> dict:
    """The nightly rebuild of the index's rolling window (see docs/indicators.md, Operations)."""
    from motcua.indicators.services import recompute

    return recompute(days)


def window_days() -> int:
    from django.conf import settings

    from motcua.conf import ImproperlyConfiguredEnvError

    days = int(getattr(settings, "MOTCUA_INDICATORS_WINDOW_DAYS", 45))
    if days < 1:
        raise ImproperlyConfiguredEnvError(
            f"MOTCUA_INDICATORS_WINDOW_DAYS={days}: số ngày tính lại hằng đêm phải lớn hơn 0.")
    return days


def register_nightly() -> None:
    """`motcua worker` enqueues recompute_window once a night (MOTCUA_INDICATORS_NIGHTLY_AT, local
    time; empty turns it off): the issue's 'nightly idempotent recomputation of a rolling window'."""
    from django.conf import settings

    from motcua.core.schedule import DailyJob, register

    register(DailyJob(
        name="indicators.recompute",
        setting="MOTCUA_INDICATORS_NIGHTLY_AT",
        at=lambda: getattr(settings, "MOTCUA_INDICATORS_NIGHTLY_AT", "02:30"),
        task="motcua.indicators.tasks.recompute_window",
        kwargs=lambda: {"days": window_days()},
    ))
