"""Concurrency on PostgreSQL: unique codes under parallel reception; one winner among two officials.

These need real parallel transactions, which the in-memory SQLite test database cannot give
(threads there share nothing); on SQLite they are skipped with that reason. CI runs them on PostgreSQL.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from motcua.dossiers.errors import ConflictError, TransitionNotAllowedError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition

from .factories import Personas, receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel transactions (PostgreSQL)"),
]


@pytest.fixture
def people():
    # Transactional tests start from an empty database (a flush): load what they need.
    import gzip
    import json

    from motcua.catalog.importer import BUNDLED_SOURCES
    from motcua.catalog.parsing import load_listing, parse_portal_record
    from motcua.catalog.services import publish_record
    from motcua.units.loading import load_agencies, load_units
    from motcua.workdays.services import load_calendar

    load_units()
    load_agencies()
    load_calendar()
    listing = load_listing(BUNDLED_SOURCES[0].parent / "chatbot_tthc_ministry_tthc_lists.csv")
    with gzip.open(BUNDLED_SOURCES[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            if '"ma_thu_tuc": "1.001193"' in line:
                raw = json.loads(line)
                publish_record(parse_portal_record(raw, listing[raw["ma_thu_tuc"]]))
    return Personas()


def _in_thread(func):
    def run(*args):
        try:
            return func(*args)
        finally:
            connections.close_all()

    return run


def test_parallel_receptions_get_unique_consecutive_codes(people):
    barrier = threading.Barrier(8)

    @_in_thread
    def one(i):
        barrier.wait()
        return receive(people, limit=(Decimal(3), "working_day")).code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(one, range(8)))
    assert len(set(codes)) == 8
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 9))


def test_two_officials_acting_at_once_one_wins_the_other_gets_a_conflict(people):
    dossier = receive(people)
    transition(dossier.pk, "forward", actor=people.reception)
    seen = Dossier.objects.get(pk=dossier.pk).version
    barrier = threading.Barrier(2)

    @_in_thread
    def act(action):
        barrier.wait()
        try:
            if action == "complete":
                transition(dossier.pk, "complete_step", actor=people.specialist, expected_version=seen)
            else:
                transition(dossier.pk, "request_supplement", actor=people.specialist, expected_version=seen,
                           reason="Thiếu giấy tờ", data={"missing_papers": ["Giấy chứng sinh"]})
            return "ok"
        except (ConflictError, TransitionNotAllowedError) as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(act, ["complete", "supplement"]))
    assert outcomes == ["ConflictError", "ok"]
    assert Dossier.objects.get(pk=dossier.pk).history.count() == 3
