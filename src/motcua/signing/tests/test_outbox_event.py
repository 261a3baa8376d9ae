"""Signing a result writes an outbox event, and its delivery keeps the 766 facts current.

Run twice: `pytest src/motcua/signing` (SQLite) and with DATABASE_URL=postgres://…/motcua_signing.
"""

import pytest

from motcua.core.models import OutboxEvent, OutboxStatus
from motcua.core.outbox import deliver_due
from motcua.dossiers.errors import NotPermittedError
from motcua.indicators.models import DossierFact
from motcua.notifications.models import Notification
from motcua.signing.services import issue_signed_result

TOPIC = "dossier.result_signed"


def _deliver_all():
    while deliver_due():
        pass


def test_signing_emits_one_event_with_the_result(signed, dossier):
    event = OutboxEvent.objects.get(topic=TOPIC)
    assert event.aggregate_type == "dossier" and event.aggregate_id == str(dossier.pk)
    assert event.payload["dossier"] == dossier.pk
    assert event.payload["code"] == dossier.code
    assert event.payload["result"] == signed.pk
    assert event.payload["sha256"] == signed.sha256


def test_the_fact_counts_the_electronic_result_once_the_event_is_delivered(dossier, people, dev_pki, media):
    _deliver_all()
    assert DossierFact.objects.get(dossier=dossier).eresult is False
    notified = Notification.objects.count()

    issue_signed_result(dossier, signer_user=people.approver)
    _deliver_all()

    assert DossierFact.objects.get(dossier=dossier).eresult is True
    assert OutboxEvent.objects.get(topic=TOPIC).status == OutboxStatus.DELIVERED
    # Signing changes no status: the applicant gets no e-mail or SMS for it.
    assert Notification.objects.count() == notified


def test_a_refused_signature_emits_nothing(dossier, people, dev_pki, media):
    with pytest.raises(NotPermittedError):
        issue_signed_result(dossier, signer_user=people.reception)
    assert not OutboxEvent.objects.filter(topic=TOPIC).exists()


def test_an_approver_reading_english_still_issues_a_vietnamese_document(dossier, people, dev_pki, media):
    from django.utils import translation

    from motcua.lib.tests.poppler import pdf_text

    with translation.override("en"):
        result = issue_signed_result(dossier, signer_user=people.approver)
    with result.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Ký bởi: UBND Xã An Thạnh" in text and "Thời gian ký:" in text
    assert "Signed by" not in text
