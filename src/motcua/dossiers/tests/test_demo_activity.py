"""The demo activity seed: Tây Ninh's public dashboard shows live figures before and after July 2025."""

from datetime import date
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import localize

from motcua.core import audit
from motcua.core.models import AuditRecord, OutboxEvent
from motcua.dossiers.demo import create_demo
from motcua.dossiers.demo_activity import REFORM_DAY, seed_activity
from motcua.dossiers.models import Dossier, StatusChange
from motcua.feedback.models import FeedbackCase
from motcua.indicators import selectors as index
from motcua.satisfaction.models import Rating

pytestmark = pytest.mark.django_db
BEFORE, AFTER = "2025-Q2", str(timezone.localdate().year)


@pytest.fixture
def seeded():
    cache.clear()
    create_demo()
    result = seed_activity(40, seed=7)
    yield result
    cache.clear()


def _counts():
    return (Dossier.objects.count(), StatusChange.objects.count(), Rating.objects.count(),
            FeedbackCase.objects.count(), AuditRecord.objects.count(), OutboxEvent.objects.count())


def test_seed_files_dossiers_through_the_services_before_and_after_the_reform(seeded):
    assert seeded.dossiers == 40 and 0 < seeded.before_reform < 40
    assert seeded.returned and seeded.rated and seeded.cases >= 4 and seeded.online
    received = list(Dossier.objects.values_list("received_at", "receiving_agency__organ_code"))
    before = [code for at, code in received if at and timezone.localtime(at).date() < REFORM_DAY]
    after = [code for at, code in received if at and timezone.localtime(at).date() >= REFORM_DAY]
    assert before and after
    # Filed with the agencies as they were: the commune and district ended on 30/6/2025.
    assert not {"000.21.31.H53", "000.00.31.H53"} & set(after)
    # Back-dated consistently: the history, the audit trail and the outbox tell the same moments.
    first = StatusChange.objects.order_by("at").first()
    assert timezone.localtime(first.at).date() < REFORM_DAY
    assert AuditRecord.objects.filter(action="dossier.receive", occurred_at__lt=first.at.replace(microsecond=0)
                                      ).count() == 0
    assert OutboxEvent.objects.filter(created_at__date__lt=date(2025, 7, 1)).exists()
    checked, problems = audit.verify()
    assert checked and problems == []


@pytest.mark.parametrize("period", [BEFORE, AFTER])
def test_province_dashboard_shows_766_satisfaction_and_feedback_figures(client, seeded, period):
    head = index.headline("province", "80", period)
    card = index.scorecard("province", "80", period)
    assert card.received > 0 and card.total > 0
    assert head.on_time_rate is not None and head.satisfaction_rate is not None
    assert head.feedback_on_time_rate is not None
    page = client.get("/bang-dieu-khien/province/80/", {"ky": period}).content.decode()
    assert f"<strong>{localize(card.total)}</strong> / {localize(card.max_total)}" in page
    assert f"{card.received} hồ sơ tiếp nhận trong kỳ." in page
    assert f"{localize(head.satisfaction_rate)} %" in page
    assert f"{localize(head.feedback_on_time_rate)} %" in page


def test_before_the_reform_the_old_province_has_the_same_dossiers_as_filed(seeded):
    today = index.scorecard("province", "80", BEFORE)
    as_filed = index.scorecard("province", "72", BEFORE, units_as="as_filed")
    assert as_filed.received == today.received > 0


def test_running_the_seed_twice_changes_nothing(seeded):
    before = _counts()
    again = seed_activity(40, seed=7)
    assert again.skipped and again.dossiers == 40
    out = StringIO()
    call_command("demo_activity", "--dossiers", "5", stdout=out)
    assert "Đã có dữ liệu hoạt động mẫu (40 hồ sơ); không tạo thêm." in out.getvalue()
    assert _counts() == before
