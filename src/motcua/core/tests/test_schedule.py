"""Daily jobs of `motcua worker`: due from the configured local time, enqueued once per local day
however many workers sweep, and a badly written time refused with the setting's name."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from motcua.conf import ImproperlyConfiguredEnvError
from motcua.core import schedule
from motcua.core.models import DailyRun

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")


class Recorder:
    """Stands in for a django-task: records each enqueue."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()

    def enqueue(self, **kwargs):
        with self.lock:
            self.calls.append(kwargs)


RECORDER = Recorder()


@pytest.fixture
def recorder():
    RECORDER.calls.clear()
    return RECORDER


def job(at="02:30"):
    return schedule.DailyJob(name="test.nightly", setting="MOTCUA_TEST_AT", at=lambda: at,
                             task="motcua.core.tests.test_schedule.RECORDER", kwargs=lambda: {"days": 45})


@pytest.mark.parametrize(("text", "expected"), [
    ("02:30", time(2, 30)), ("2:30", time(2, 30)), ("00:00", time(0, 0)), ("23:59", time(23, 59)),
    (" 07:05 ", time(7, 5)), ("", None), ("  ", None),
])
def test_times_are_read_as_hh_mm_and_empty_turns_the_job_off(text, expected):
    assert schedule.parse_time(text, "MOTCUA_TEST_AT") == expected


@pytest.mark.parametrize("text", ["2h30", "24:00", "02:60", "02:3", "02", "ba giờ", "-1:30", "02:30:00"])
def test_a_badly_written_time_is_refused_naming_the_setting(text):
    with pytest.raises(ImproperlyConfiguredEnvError, match="MOTCUA_TEST_AT.*HH:MM"):
        schedule.parse_time(text, "MOTCUA_TEST_AT")
    with pytest.raises(ImproperlyConfiguredEnvError, match="MOTCUA_TEST_AT"):
        schedule.check([job(text)])


@pytest.mark.parametrize(("moment", "at", "due"), [
    # 02:30 in Hà Nội is 19:30 UTC the day before.
    (datetime(2026, 11, 26, 19, 29, 59, tzinfo=UTC), time(2, 30), False),
    (datetime(2026, 11, 26, 19, 30, tzinfo=UTC), time(2, 30), True),
    (datetime(2026, 11, 27, 2, 29, tzinfo=VN), time(2, 30), False),
    (datetime(2026, 11, 27, 23, 59, 59, tzinfo=VN), time(2, 30), True),   # late in the day: still today's run
    (datetime(2026, 11, 28, 0, 0, tzinfo=VN), time(2, 30), False),        # a new local day starts before 02:30
    (datetime(2026, 11, 27, 17, 0, tzinfo=UTC), time(0, 0), True),        # 00:00 local = 17:00 UTC
    (datetime(2026, 11, 27, 16, 59, 59, tzinfo=UTC), time(23, 59), True),  # 23:59:59 local
    (datetime(2026, 11, 27, 16, 58, 59, tzinfo=UTC), time(23, 59), False),
])
def test_a_job_is_due_from_its_local_time_until_midnight(moment, at, due):
    assert schedule.is_due(moment, at) is due


@pytest.mark.django_db
def test_three_days_of_sweeps_enqueue_the_job_once_a_day_at_its_time(recorder):
    """Sweeps every 7 minutes from 20:00 local for three days, by a worker in UTC terms. A worker
    started after the day's time catches the day's run up at once; then one run a night, at the
    first sweep from 02:30."""
    moment = datetime(2026, 11, 25, 20, 0, tzinfo=VN).astimezone(UTC)
    enqueued_at = []
    while moment < datetime(2026, 11, 28, 20, 0, tzinfo=VN):
        if schedule.run_due(moment, [job("02:30")]):
            enqueued_at.append(moment.astimezone(VN))
        moment += timedelta(minutes=7)
    assert enqueued_at[0] == datetime(2026, 11, 25, 20, 0, tzinfo=VN)
    assert [m.day for m in enqueued_at] == [25, 26, 27, 28]
    for m in enqueued_at[1:]:
        assert time(2, 30) <= m.time() < time(2, 37)
    assert recorder.calls == [{"days": 45}] * 4
    assert sorted(DailyRun.objects.values_list("day", flat=True)) == [
        datetime(2026, 11, d).date() for d in (25, 26, 27, 28)]


@pytest.mark.django_db
def test_an_empty_time_turns_the_job_off(recorder):
    assert schedule.run_due(datetime(2026, 11, 27, 12, 0, tzinfo=VN), [job("")]) == []
    assert recorder.calls == [] and not DailyRun.objects.exists()


@pytest.mark.django_db
def test_two_workers_sweeping_the_same_day_run_the_job_once(recorder):
    first, second = datetime(2026, 11, 27, 2, 30, 5, tzinfo=VN), datetime(2026, 11, 27, 2, 30, 9, tzinfo=VN)
    assert schedule.run_due(first, [job()]) == ["test.nightly"]
    assert schedule.run_due(second, [job()]) == []
    assert schedule.run_due(first + timedelta(hours=20), [job()]) == []   # 22:30 the same day
    assert recorder.calls == [{"days": 45}]
    assert DailyRun.objects.filter(job="test.nightly").count() == 1


@pytest.mark.django_db
def test_a_failed_enqueue_leaves_the_day_to_the_next_sweep(recorder, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("hàng đợi không ghi được")

    monkeypatch.setattr(RECORDER, "enqueue", broken)
    with pytest.raises(RuntimeError):
        schedule.run_due(datetime(2026, 11, 27, 2, 31, tzinfo=VN), [job()])
    assert not DailyRun.objects.exists()
    monkeypatch.undo()
    assert schedule.run_due(datetime(2026, 11, 27, 2, 32, tzinfo=VN), [job()]) == ["test.nightly"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_on_postgresql_claim_the_day_once(recorder):
    """Real concurrency: each thread has its own connection, as each worker process has."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(4)
    won = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            won.append(schedule.run_due(datetime(2026, 11, 27, 2, 31, tzinfo=VN), [job()]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == [[], [], [], ["test.nightly"]]
    assert len(recorder.calls) == 1 and DailyRun.objects.count() == 1


def test_the_index_rebuild_is_registered_from_its_settings(settings):
    settings.MOTCUA_INDICATORS_NIGHTLY_AT = "03:15"
    settings.MOTCUA_INDICATORS_WINDOW_DAYS = 60
    nightly = next(j for j in schedule.jobs() if j.name == "indicators.recompute")
    assert schedule.parse_time(nightly.at(), nightly.setting) == time(3, 15)
    assert nightly.kwargs() == {"days": 60}
    settings.MOTCUA_INDICATORS_WINDOW_DAYS = 0
    with pytest.raises(ImproperlyConfiguredEnvError, match="MOTCUA_INDICATORS_WINDOW_DAYS"):
        schedule.check([nightly])


# ---- frequent jobs ----------------------------------------------------------------------------

def test_a_frequent_job_runs_at_most_once_per_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(schedule.monotonic_clock, "monotonic", lambda: clock[0])
    runs = []
    job = schedule.FrequentJob("sync", every=lambda: 60, run=lambda: runs.append(clock[0]))
    last: dict[str, float] = {}
    for moment in (1000, 1030, 1059, 1060, 1100, 1121):
        clock[0] = float(moment)
        schedule.run_frequent(last, [job])
    assert runs == [1000, 1060, 1121]


def test_a_frequent_job_that_is_off_or_not_configured_never_runs():
    runs = []
    off = schedule.FrequentJob("off", every=lambda: 0, run=lambda: runs.append("off"))
    unconfigured = schedule.FrequentJob("sync", every=lambda: 60, run=lambda: runs.append("sync"),
                                        enabled=lambda: False)
    assert schedule.run_frequent({}, [off, unconfigured]) == []
    assert runs == []


def test_a_failing_frequent_job_is_logged_and_does_not_stop_the_others(caplog):
    def broken():
        raise ConnectionError("hub down")

    runs = []
    jobs = [schedule.FrequentJob("broken", every=lambda: 60, run=broken),
            schedule.FrequentJob("other", every=lambda: 60, run=lambda: runs.append(1))]
    assert schedule.run_frequent({}, jobs) == ["other"]
    assert runs == [1]
    assert "broken" in caplog.text


def test_the_worker_syncs_with_the_hub_only_when_a_client_is_configured(settings, monkeypatch):
    from motcua.exchange import interagency

    calls = []
    monkeypatch.setattr(interagency, "sync", lambda: calls.append(1))
    job = next(j for j in schedule._FREQUENT.values() if j.name == "exchange.sync")
    settings.MOTCUA_EXCHANGE_HUB_URL, settings.MOTCUA_EXCHANGE_ORGAN_CODE = "", ""
    assert schedule.run_frequent({}, [job]) == []
    settings.MOTCUA_EXCHANGE_HUB_URL = "http://127.0.0.1:9/truc-lien-thong"
    settings.MOTCUA_EXCHANGE_ORGAN_CODE = "000.00.00.H53"
    settings.MOTCUA_EXCHANGE_SYNC_SECONDS = 60
    assert schedule.run_frequent({}, [job]) == ["exchange.sync"]
    assert calls == [1]
