"""The audit chain detects a changed, a deleted and a truncated record."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from motcua.core import audit
from motcua.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _append(n: int):
    with transaction.atomic():
        for i in range(n):
            audit.append("dossier.accept", object_type="dossier", object_id=i, before={"status": 1},
                         after={"status": 2, "note": "Đã tiếp nhận"}, actor_label="cán bộ một cửa")


def test_an_intact_chain_verifies():
    _append(5)
    checked, problems = audit.verify()
    assert checked == 5
    assert problems == []


def test_a_changed_record_is_detected():
    _append(5)
    AuditRecord.objects.filter(seq=3).update(after={"status": 10})
    _checked, problems = audit.verify()
    assert [p.seq for p in problems] == [3]
    assert "thay đổi" in problems[0].message


def test_a_deleted_record_is_detected():
    _append(5)
    AuditRecord.objects.filter(seq=2).delete()
    _checked, problems = audit.verify()
    assert any("xóa" in p.message for p in problems)


def test_deleting_the_last_record_is_detected():
    _append(3)
    AuditRecord.objects.filter(seq=3).delete()
    _checked, problems = audit.verify()
    assert problems and "cuối" in problems[-1].message


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.append("x", object_type="t", object_id=1)


def test_the_verify_command_fails_on_tampering(capsys):
    _append(2)
    call_command("audit", "verify")
    assert "toàn vẹn: 2" in capsys.readouterr().out
    AuditRecord.objects.filter(seq=1).update(actor_label="người khác")
    with pytest.raises(CommandError, match="KHÔNG toàn vẹn"):
        call_command("audit", "verify")
