"""Daily jobs of `motcua worker`: enqueue a task once per local day, at or after a configured time.

Not a cron: a job is a name, a local time ("02:30", or empty to turn it off) and a task to enqueue.
Every worker checks the due jobs on each outbox sweep; the first to insert the DailyRun row of
(job, today) enqueues the task in the same transaction, the others hit the unique constraint and
skip. A worker that was down at the configured time runs the day's job when it comes back, the
same local day; a day that passed entirely without a worker is not replayed (the jobs are rolling
rebuilds: the next run covers it).

Frequent jobs (every N seconds, e.g. syncing with the document hub) run in the sweeping worker
itself, without a claim: they are idempotent and each worker may run them.
"""

import logging
import time as monotonic_clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from importlib import import_module

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.conf import ImproperlyConfiguredEnvError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    setting: str                      # the setting holding the local time, named in errors
    at: Callable[[], str]             # reads the setting's current value
    task: str                         # dotted path of the django-task to enqueue
    kwargs: Callable[[], dict] = field(default=dict)


_JOBS: dict[str, DailyJob] = {}


def register(job: DailyJob) -> None:
    """Declare a daily job (from an app's ready()); registering a name again replaces it."""
    _JOBS[job.name] = job


def jobs() -> list[DailyJob]:
    return list(_JOBS.values())


def parse_time(value: str, setting: str) -> time | None:
    """'HH:MM' (local time) → time; empty → None (the job is off); anything else is refused."""
    text = (value or "").strip()
    if not text:
        return None
    hours, sep, minutes = text.partition(":")
    if sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and 0 <= int(hours) <= 23 \
            and 0 <= int(minutes) <= 59:
        return time(int(hours), int(minutes))
    raise ImproperlyConfiguredEnvError(
        f"{setting}={value!r}: giờ chạy phải có dạng HH:MM theo giờ địa phương (ví dụ 02:30), hoặc để trống để tắt.")


def is_due(now: datetime, at: time) -> bool:
    """Whether a job set for `at` is due at the aware moment `now`, read in local time
    (settings.TIME_ZONE): from `at` until midnight of that local day."""
    return timezone.localtime(now).time() >= at


def check(all_jobs: list[DailyJob] | None = None) -> None:
    """Refuse a badly written time when the worker starts rather than at night."""
    for job in all_jobs if all_jobs is not None else jobs():
        parse_time(job.at(), job.setting)
        job.kwargs()


def _task(path: str):
    module, _sep, name = path.rpartition(".")
    return getattr(import_module(module), name)


def claim_and_enqueue(job: DailyJob, day) -> bool:
    """Enqueue the job's task for `day` unless some worker already did; True if this call did."""
    from motcua.core.models import DailyRun

    try:
        with transaction.atomic():
            run = DailyRun.objects.create(job=job.name, day=day)
            # Same transaction as the claim: a failed enqueue leaves the day unclaimed for the next sweep.
            result = _task(job.task).enqueue(**job.kwargs())
            run.task_id = str(getattr(result, "id", "") or "")[:64]
            run.save(update_fields=["task_id"])
    except IntegrityError:
        return False
    return True


def run_due(now: datetime | None = None, all_jobs: list[DailyJob] | None = None) -> list[str]:
    """Enqueue every job due now and not yet run today (local date); the names of those enqueued."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    done = []
    for job in all_jobs if all_jobs is not None else jobs():
        at = parse_time(job.at(), job.setting)
        if at is not None and is_due(now, at) and claim_and_enqueue(job, day):
            done.append(job.name)
    return done


@dataclass(frozen=True)
class FrequentJob:
    name: str
    every: Callable[[], float]        # seconds between runs; 0 or less turns the job off
    run: Callable[[], object]
    enabled: Callable[[], bool] = lambda: True


_FREQUENT: dict[str, FrequentJob] = {}


def register_frequent(job: FrequentJob) -> None:
    """Declare a job the worker runs every few seconds (from an app's ready())."""
    _FREQUENT[job.name] = job


def run_frequent(last_run: dict[str, float], all_jobs: list[FrequentJob] | None = None) -> list[str]:
    """Run each enabled frequent job whose interval has passed since `last_run[name]` (monotonic
    seconds, updated in place). A failing job is logged and tried again at its next interval."""
    done = []
    for job in all_jobs if all_jobs is not None else list(_FREQUENT.values()):
        every = job.every()
        if every <= 0 or not job.enabled():
            continue
        now = monotonic_clock.monotonic()
        if job.name in last_run and now - last_run[job.name] < every:
            continue
        last_run[job.name] = now
        try:
            job.run()
            done.append(job.name)
        except Exception:
            logger.exception("Công việc định kỳ “%s” lỗi; thử lại sau %s giây.", job.name, every)
    return done
