"""The tamper-evident message log: a changed or missing entry is detected and named by its seq."""

import pytest
from django.core.management import CommandError, call_command

from motcua.exchange import hublog, services
from motcua.exchange.models import HubDocument, HubOrgan, LogEntry, StatusEvent
from motcua.exchange.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the hub's checkpoint key is made there
    for code in (f.ORGAN_A, f.ORGAN_B):
        f.register(code)
    a, b = HubOrgan.objects.get(organ_id=f.ORGAN_A), HubOrgan.objects.get(organ_id=f.ORGAN_B)
    for n in range(3):
        services.accept_package(a, f.package(f.ORGAN_A, [f.ORGAN_B], document_id=f"L,{n}"))
    ids = [d.pk for d in services.inbox(b)]
    services.acknowledge(b, ids)
    return a, b


def seqs(problems):
    return {p.seq for p in problems}


def test_clean_log_verifies(filled):
    checked, problems = hublog.verify()
    assert (checked, problems) == (6, [])
    call_command("exchange", "verify-log")


def test_changed_package_is_detected(filled):
    doc = HubDocument.objects.get(document_id="L,1")
    entry = LogEntry.objects.get(ref=f"document:{doc.pk}")
    HubDocument.objects.filter(pk=doc.pk).update(package=bytes(doc.package).replace(b"UBND-VP", b"UBND-XX"))
    _checked, problems = hublog.verify()
    assert seqs(problems) == {entry.seq}
    with pytest.raises(CommandError, match="KHÔNG toàn vẹn"):
        call_command("exchange", "verify-log")


def test_changed_status_is_detected(filled):
    event = StatusEvent.objects.order_by("pk").first()
    entry = LogEntry.objects.get(ref=f"status:{event.pk}")
    StatusEvent.objects.filter(pk=event.pk).update(description="Đã sửa")
    assert seqs(hublog.verify()[1]) == {entry.seq}


def test_changed_entry_is_detected(filled):
    LogEntry.objects.filter(seq=2).update(content_sha256="0" * 64)
    problems = hublog.verify()[1]
    assert 2 in seqs(problems)
    assert any("đã bị sửa" in p.message for p in problems if p.seq == 2)


def test_deleted_entry_is_detected(filled):
    LogEntry.objects.filter(seq=4).delete()
    problems = hublog.verify()[1]
    assert any(p.seq == 4 and "bị thiếu" in p.message for p in problems)


def test_cut_tail_is_detected_by_the_signed_checkpoint(filled):
    cp = hublog.checkpoint()
    assert cp.seq == 6 and hublog.checkpoint() is None  # nothing new to sign
    LogEntry.objects.filter(seq=6).delete()
    StatusEvent.objects.filter(pk=int(LogEntry.objects.get(seq=5).ref.split(":")[1]) + 1).delete()
    problems = hublog.verify()[1]
    assert any(p.seq == 6 and "bị cắt" in p.message for p in problems)


def test_forged_checkpoint_is_detected(filled):
    cp = hublog.checkpoint()
    type(cp).objects.filter(pk=cp.pk).update(hash="f" * 64)
    assert any("chữ ký" in p.message for p in hublog.verify()[1])
