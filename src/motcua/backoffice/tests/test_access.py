"""Every back-office view: anonymous → login; no membership → 403; another agency → 404 / no rows;
right agency, wrong role → the action is not offered and a forged POST is refused."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.dossiers import slips
from motcua.dossiers.models import Dossier, StatusChange

from .conftest import BIRTH, action_data, reception_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(dossier, people, settings, tmp_path):
    slip = slips.issue_slip(dossier, "receipt", issued_by=people.reception)
    settings.MEDIA_ROOT = tmp_path / "media"
    paper = dossier.components.first()
    paper.file.save("giay-chung-sinh.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {
        "queue": ("get", reverse("backoffice:queue"), {}),
        "switch_agency": ("post", reverse("backoffice:switch_agency"), {"co-quan": dossier.receiving_agency_id}),
        "reception": ("get", reverse("backoffice:reception") + "?q=khai+sinh", {}),
        "reception_extra_row": ("get", reverse("backoffice:reception_extra_row"), {}),
        "reception_form": ("get", reverse("backoffice:reception_form", args=[BIRTH]), {}),
        "reception_submit": ("post", reverse("backoffice:reception_form", args=[BIRTH]), reception_data()),
        "dossier": ("get", reverse("backoffice:dossier", args=[dossier.pk]), {}),
        "dossier_action": ("post", reverse("backoffice:dossier_action", args=[dossier.pk, "forward"]),
                           action_data(dossier, "forward")),
        "slip_issue": ("post", reverse("backoffice:slip_issue", args=[dossier.pk, "receipt"]), {}),
        "slip": ("get", reverse("backoffice:slip", args=[dossier.pk, slip.pk]), {}),
        "paper": ("get", reverse("backoffice:paper", args=[dossier.pk, paper.pk]), {}),
        "register": ("get", reverse("backoffice:register") + "?tu=2026-01-01&den=2026-12-31&dinh-dang=csv", {}),
    }


ALL_VIEWS = ["queue", "switch_agency", "reception", "reception_extra_row", "reception_form", "reception_submit",
             "dossier", "dossier_action", "slip_issue", "slip", "paper", "register"]
DOSSIER_VIEWS = ["dossier", "dossier_action", "slip_issue", "slip", "paper"]


def _call(client, urls, name):
    method, url, data = urls[name]
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, urls, name):
    before = StatusChange.objects.count()
    response = _call(client, urls, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login") + "?next=")
    assert StatusChange.objects.count() == before


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_a_user_without_a_membership_gets_403_in_vietnamese(as_user, people, urls, name):
    before = StatusChange.objects.count()
    response = _call(as_user(people.nobody), urls, name)
    assert response.status_code == 403
    assert "chưa được phân công vào cơ quan nào" in response.content.decode()
    assert StatusChange.objects.count() == before


@pytest.mark.parametrize("name", DOSSIER_VIEWS)
def test_an_official_of_another_agency_gets_404_on_dossier_pages(as_user, people, urls, name, dossier):
    response = _call(as_user(people.outsider), urls, name)
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ này" in response.content.decode()
    assert dossier.code not in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_an_unknown_dossier_is_the_same_404(as_user, people):
    response = as_user(people.reception).get(reverse("backoffice:dossier", args=[999999]))
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ này" in response.content.decode()


@pytest.mark.parametrize("queue", ["cua-toi", "co-quan", "sap-den-han", "qua-han", "tat-ca"])
def test_an_official_of_another_agency_sees_no_rows(as_user, people, dossier, queue):
    client = as_user(people.outsider)
    response = client.get(reverse("backoffice:queue"), {"hang-doi": queue})
    assert response.status_code == 200
    assert dossier.code not in response.content.decode()
    searched = client.get(reverse("backoffice:queue"), {"hang-doi": queue, "q": "Nguyễn Thị Hồng Nhung"})
    assert "Không có hồ sơ nào" in searched.content.decode()
    assert "Không có hồ sơ nào" in response.content.decode()


def test_another_agency_cannot_download_the_register_of_this_one(as_user, people, dossier):
    # The register is always of the official's own agency: the commune's dossier is not in it.
    response = as_user(people.outsider).get(reverse("backoffice:register"),
                                            {"tu": "2026-01-01", "den": "2026-12-31", "dinh-dang": "csv"})
    assert response.status_code == 200
    assert dossier.code not in response.content.decode("utf-8-sig")


def test_another_agency_cannot_switch_into_this_one(as_user, people, dossier):
    response = as_user(people.outsider).post(reverse("backoffice:switch_agency"),
                                             {"co-quan": dossier.receiving_agency_id})
    assert response.status_code == 403
    assert "Bạn không thuộc cơ quan đã chọn" in response.content.decode()


def test_wrong_role_is_not_offered_the_move_and_a_forged_post_is_refused(as_user, people, dossier):
    client = as_user(people.specialist)  # the commune's specialist: may view, may not forward
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk]))
    assert page.status_code == 200
    assert "Chuyển xử lý" not in page.content.decode()
    assert reverse("backoffice:dossier_action", args=[dossier.pk, "forward"]) not in page.content.decode()
    response = client.post(reverse("backoffice:dossier_action", args=[dossier.pk, "forward"]),
                           action_data(dossier, "forward"))
    assert response.status_code == 403
    assert "Bạn không có quyền “Chuyển xử lý”" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).stage == "received"


def test_only_reception_officers_receive_at_the_counter(as_user, people):
    client = as_user(people.specialist)
    for response in (client.get(reverse("backoffice:reception")),
                     client.get(reverse("backoffice:reception_form", args=[BIRTH])),
                     client.post(reverse("backoffice:reception_form", args=[BIRTH]), reception_data())):
        assert response.status_code == 403
        assert "Chỉ cán bộ tiếp nhận" in response.content.decode()
    assert not Dossier.objects.exists()
    assert "Tiếp nhận hồ sơ" not in client.get(reverse("backoffice:queue")).content.decode()


def test_the_applicant_identity_number_is_masked_for_everyone_but_reception(as_user, people, dossier):
    full = "072190001234"
    assert full in as_user(people.reception).get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    for official in (people.specialist, people.approver):
        page = as_user(official).get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
        assert full not in page
        assert "•••••••••234" in page


def test_login_and_logout(client, people):
    page = client.get(reverse("backoffice:login"))
    assert "Đăng nhập bộ phận một cửa" in page.content.decode()
    bad = client.post(reverse("backoffice:login"), {"username": "tiepnhan", "password": "sai"})
    assert bad.status_code == 200
    assert "tên đăng nhập" in bad.content.decode().lower()
    ok = client.post(reverse("backoffice:login"), {"username": "tiepnhan", "password": "mat-khau-du-dai-2026"})
    assert ok.status_code == 302 and ok["Location"] == reverse("backoffice:queue")
    assert client.get(reverse("backoffice:queue")).status_code == 200
    out = client.post(reverse("backoffice:logout"))
    assert out.status_code == 302
    assert client.get(reverse("backoffice:queue")).status_code == 302


OFFERED_ON_A_RECEIVED_DOSSIER = {
    "reception": {"forward", "request_supplement", "refuse", "request_withdrawal"},
    "specialist": {"request_supplement"},
    "approver": {"apologize", "stop"},
    "agency_admin": set(),
    "system_admin": set(),
}


@pytest.mark.parametrize("role", sorted(OFFERED_ON_A_RECEIVED_DOSSIER))
def test_each_role_is_offered_its_moves_only_and_forging_another_is_refused(as_user, dossier, role):
    from motcua.dossiers.tests.factories import COMMUNE, official

    client = as_user(official(f"can-bo-{role}", COMMUNE, role))
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    offered = {key for key in ("forward", "request_supplement", "refuse", "request_withdrawal", "apologize", "stop",
                               "complete_step", "hand_over")
               if reverse("backoffice:dossier_action", args=[dossier.pk, key]) in page}
    assert offered == OFFERED_ON_A_RECEIVED_DOSSIER[role]
    if "forward" not in offered:
        forged = client.post(reverse("backoffice:dossier_action", args=[dossier.pk, "forward"]),
                             action_data(dossier, "forward"))
        assert forged.status_code == 403
        assert "Bạn không có quyền" in forged.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).history.count() == 1
