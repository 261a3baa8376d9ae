"""Two people rating the same dossier at the same moment: one rating, the second save is a change."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.core.models import OutboxEvent
from motcua.satisfaction import services
from motcua.satisfaction.choices import Level
from motcua.satisfaction.models import Rating
from motcua.satisfaction.tests.factories import dossier

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel transactions (PostgreSQL)"),
]


def test_parallel_first_ratings_make_one_rating(loaded):
    d = dossier()
    barrier = threading.Barrier(2)

    def rate(level):
        try:
            barrier.wait()
            return services.rate_dossier(d.pk, services.RatingInput(level=level, answers=dict.fromkeys(range(2, 13), 1)))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(rate, [Level.SATISFIED, Level.NOT_SATISFIED]))
    assert results[0].pk == results[1].pk
    rating = Rating.objects.get(dossier=d)
    assert rating.changes == 1
    assert OutboxEvent.objects.filter(topic="satisfaction.rated").count() == 2
