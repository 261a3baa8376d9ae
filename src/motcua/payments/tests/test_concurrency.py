"""Callbacks arriving at the same moment, on PostgreSQL: still one payment and one receipt.

These need real parallel transactions, which the in-memory SQLite test database cannot give;
on SQLite they are skipped with that reason. CI runs them on PostgreSQL.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.core.models import OutboxEvent
from motcua.dossiers.models import Dossier
from motcua.payments.choices import CallbackOutcome, PaymentStatus
from motcua.payments.models import Payment, PaymentEvent, ReceiptSequence
from motcua.payments.services import handle_callback, start_payment

from .helpers import citizen_of, ipn_params

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel transactions (PostgreSQL)"),
]
FEE = 50_000


@pytest.fixture
def dossier():
    # Transactional tests start from an empty database (a flush): load what they need.
    import gzip
    import json

    from motcua.catalog.importer import BUNDLED_SOURCES
    from motcua.catalog.parsing import load_listing, parse_portal_record
    from motcua.catalog.services import publish_record
    from motcua.dossiers.tests.factories import Personas, receive
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
    dossier = receive(Personas())
    Dossier.objects.filter(pk=dossier.pk).update(fee_amount=FEE)
    return Dossier.objects.get(pk=dossier.pk)


def _at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(params):
        try:
            barrier.wait()
            return handle_callback(params)["RspCode"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return sorted(pool.map(run, calls))


def test_two_identical_callbacks_at_once_give_one_payment_and_one_receipt(dossier):
    payment, _url = start_payment(dossier, user=citizen_of(dossier))
    params = ipn_params(payment)
    assert _at_once([params, params]) == ["00", "02"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert ReceiptSequence.objects.get().last == 1
    assert OutboxEvent.objects.filter(topic="payment.paid").count() == 1
    assert sorted(PaymentEvent.objects.values_list("outcome", flat=True)) == \
        [CallbackOutcome.ACCEPTED, CallbackOutcome.DUPLICATE]


def test_two_orders_of_one_dossier_paid_at_once_record_one_payment(dossier):
    user = citizen_of(dossier)
    first, _ = start_payment(dossier, user=user)
    second, _ = start_payment(dossier, user=user)
    assert _at_once([ipn_params(first, txn="1"), ipn_params(second, txn="2")]) == ["00", "02"]
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    assert PaymentEvent.objects.filter(reason="dossier_already_paid").count() == 1
