"""Work queues: mine, my agency's, due soon, late, all; search, status filter, pages, constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.dossiers.services import transition
from motcua.dossiers.tests.factories import COMMUNE, JUSTICE, agency, receive

pytestmark = pytest.mark.django_db
QUEUE = reverse("backoffice:queue")


def rows(client, **params) -> str:
    return client.get(QUEUE, params).content.decode()


def test_mine_follows_the_current_step(as_user, people, dossier):
    reception = as_user(people.reception)
    assert dossier.code in rows(reception)  # "Của tôi" is the default tab: waiting to be forwarded
    transition(dossier.pk, "forward", actor=people.reception)
    assert dossier.code not in rows(reception)
    assert dossier.code in rows(reception, **{"hang-doi": "co-quan"})
    specialist = as_user(people.specialist)
    page = rows(specialist)
    assert dossier.code in page
    assert "Thẩm định, xử lý hồ sơ" in page  # the current step column
    assert "Nguyễn Thị Hồng Nhung" in page and "Thủ tục đăng ký khai sinh" in page
    assert dossier.code not in rows(as_user(people.approver))


def test_the_result_waiting_at_the_counter_is_in_reception_mine(as_user, people, dossier):
    transition(dossier.pk, "forward", actor=people.reception)
    for official in (people.specialist, people.approver, people.reception):
        transition(dossier.pk, "complete_step", actor=official)
    assert dossier.code in rows(as_user(people.reception))


def test_late_and_due_soon_tabs_and_badges(as_user, people):
    now = timezone.now()
    late = receive(people, at=now - timedelta(days=30), limit=(Decimal(1), "working_day"))
    soon = receive(people, at=now, limit=(Decimal(1), "working_day"))
    later = receive(people, at=now, limit=(Decimal(30), "working_day"))
    client = as_user(people.reception)
    page = rows(client, **{"hang-doi": "qua-han"})
    assert late.code in page and soon.code not in page and later.code not in page
    assert "badge-late" in page
    page = rows(client, **{"hang-doi": "sap-den-han"})
    assert soon.code in page and late.code not in page and later.code not in page
    assert "badge-due_soon" in page and "(2 ngày làm việc)" in page
    page = rows(client, **{"hang-doi": "co-quan"})
    assert all(d.code in page for d in (late, soon, later))


def test_all_includes_closed_dossiers(as_user, people, dossier):
    transition(dossier.pk, "refuse", actor=people.reception, reason="Không thuộc thẩm quyền")
    client = as_user(people.reception)
    assert dossier.code not in rows(client, **{"hang-doi": "co-quan"})
    page = rows(client, **{"hang-doi": "tat-ca"})
    assert dossier.code in page and "Không được tiếp nhận" in page


def test_search_by_code_name_phone_or_id_and_filter_by_status(as_user, people, dossier):
    other = receive(people)
    applicant = other.applicant
    applicant.full_name, applicant.phone, applicant.id_number = "Trần Văn Bình", "0987654321", "072190009999"
    applicant.save()
    transition(other.pk, "forward", actor=people.reception)
    client = as_user(people.reception)
    tab = {"hang-doi": "tat-ca"}
    for term in (dossier.code, "Hồng Nhung", "0912345678", "072190001234"):
        page = rows(client, q=term, **tab)
        assert dossier.code in page and other.code not in page, term
    page = rows(client, **{"trang-thai": 4}, **tab)
    assert other.code in page and dossier.code not in page
    fragment = client.get(QUEUE, {"q": "Bình", **tab}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and other.code in fragment


def test_a_name_is_found_typed_with_or_without_diacritics(as_user, people, dossier):
    """Officials type names as they come: without marks, in capitals, with đ as d, or Thuý for Thúy."""
    other = receive(people)
    applicant = other.applicant
    applicant.full_name = "Đặng Thị Thúy"
    applicant.save()
    client = as_user(people.reception)
    for term in ("dang thi thuy", "ĐẶNG THỊ", "Đặng Thị Thuý", "thi  thuy", "Dang"):
        page = rows(client, q=term, **{"hang-doi": "tat-ca"})
        assert other.code in page and dossier.code not in page, term
    for term in ("Nhung", "nguyen thi hong nhung"):
        page = rows(client, q=term, **{"hang-doi": "tat-ca"})
        assert dossier.code in page and other.code not in page, term
    assert other.code not in rows(client, q="dang thi thuy hong", **{"hang-doi": "tat-ca"})
    page = rows(client, q="…--…", **{"hang-doi": "tat-ca"})  # folds to nothing: no match, not every dossier
    assert other.code not in page and dossier.code not in page


def test_pages_of_twenty(as_user, people):
    for _ in range(23):
        receive(people)
    client = as_user(people.reception)
    first = rows(client, **{"hang-doi": "co-quan"})
    assert "23 hồ sơ" in first and first.count('class="code" href=') == 20
    assert "Trang 1/2" in first
    second = rows(client, **{"hang-doi": "co-quan", "trang": 2})
    assert second.count('class="code" href=') == 3


@pytest.mark.parametrize("queue", ["cua-toi", "co-quan", "sap-den-han", "qua-han", "tat-ca"])
def test_a_queue_page_reads_the_same_number_of_queries_for_5_or_25_dossiers(as_user, people, queue):
    client = as_user(people.reception)
    at = timezone.now() - timedelta(hours=1)

    def count() -> int:
        client.get(QUEUE, {"hang-doi": queue})  # warm caches (calendar, session)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(QUEUE, {"hang-doi": queue})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        receive(people, at=at, limit=(Decimal(1), "working_day"))
    five = count()
    for _ in range(20):
        receive(people, at=at, limit=(Decimal(1), "working_day"))
    assert count() == five


def test_an_official_of_two_agencies_switches_between_them(as_user, people, dossier):
    justice, commune = agency(JUSTICE), agency(COMMUNE)
    StaffMembership.objects.create(user=people.reception, agency=justice, role=Role.RECEPTION)
    client = as_user(people.reception)
    assert 'name="co-quan"' in rows(client)  # the switcher appears for an official of two agencies
    client.post(reverse("backoffice:switch_agency"), {"co-quan": commune.pk})
    page = rows(client)
    assert f'value="{commune.pk}" selected' in page
    assert dossier.code in page
    response = client.post(reverse("backoffice:switch_agency"), {"co-quan": justice.pk, "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    page = rows(client)
    assert f'value="{justice.pk}" selected' in page
    assert dossier.code not in page
    # The dossier page itself does not depend on the switch: rights come from memberships.
    assert client.get(reverse("backoffice:dossier", args=[dossier.pk])).status_code == 200


def test_a_bad_status_filter_is_explained(as_user, people):
    page = rows(as_user(people.reception), **{"trang-thai": "99"})
    assert "Trạng thái không hợp lệ." in page


def _filed_online(code: str = "1.001193"):
    """A birth registration filed online to UBND Xã An Thạnh, not yet checked (status 1)."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import ComponentInput, submit_online
    from motcua.dossiers.tests.factories import APPLICANT

    version = Procedure.objects.get(code=code).current_version
    return submit_online(version=version, agency=agency(COMMUNE), applicant=dict(APPLICANT, full_name="Lê Thị Thu"),
                         components=[ComponentInput(name="Giấy chứng sinh", copies=1)], actor=None)


def test_online_dossiers_waiting_for_checks_are_in_reception_mine(as_user, people, dossier):
    online = _filed_online()
    page = rows(as_user(people.reception))
    assert online.code in page and dossier.code in page
    assert "Nộp trực tuyến" in page and "badge-online" in page
    # Only the receiving agency's reception officers check it: not its specialist, nor the
    # reception officer of another agency (who holds every role at the Department of Justice).
    assert online.code not in rows(as_user(people.specialist))
    assert online.code not in rows(as_user(people.outsider))
    assert online.code not in rows(as_user(people.outsider), **{"hang-doi": "tat-ca"})
    # Accepted, it is a running dossier at the reception step; refused, it leaves the queue.
    transition(online.pk, "accept", actor=people.reception, data={"time_limit": [5, "working_day"]})
    assert online.code in rows(as_user(people.reception))
    second = _filed_online()
    transition(second.pk, "refuse", actor=people.reception, reason="Hồ sơ không thuộc thẩm quyền")
    assert second.code not in rows(as_user(people.reception))


def test_online_dossiers_follow_the_agency_chosen_in_the_switcher(people):
    from motcua.dossiers.selectors import work_queue

    online = _filed_online()
    other = agency(JUSTICE)
    StaffMembership.objects.create(user=people.reception, agency=other, role=Role.RECEPTION)
    people.reception.__dict__.pop("_motcua_roles", None)  # the roles cached on the user object
    assert online in work_queue(people.reception, "mine")
    assert online in work_queue(people.reception, "mine", agency_id=agency(COMMUNE).pk)
    assert online not in work_queue(people.reception, "mine", agency_id=other.pk)


def test_mine_with_online_dossiers_reads_the_same_number_of_queries_for_5_or_25(as_user, people):
    client = as_user(people.reception)

    def count() -> int:
        client.get(QUEUE)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(QUEUE).content.decode()
        assert page.count("badge-online") >= 5
        return len(ctx.captured_queries)

    for _ in range(5):
        _filed_online()
    five = count()
    for _ in range(20):
        _filed_online()
    assert count() == five
