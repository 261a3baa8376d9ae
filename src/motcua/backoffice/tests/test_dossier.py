"""The dossier page: the moves allowed now, each a small form; conflicts and refusals explained."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.core import audit
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition

from .conftest import action_data

pytestmark = pytest.mark.django_db


def act(client, dossier, action, **fields):
    dossier.refresh_from_db()
    return client.post(reverse("backoffice:dossier_action", args=[dossier.pk, action]),
                       action_data(dossier, action, **fields))


def page_of(client, dossier) -> str:
    return client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()


def test_the_page_shows_header_papers_steps_timeline_and_the_moves_allowed_now(as_user, people, dossier):
    page = page_of(as_user(people.reception), dossier)
    assert dossier.code in page
    assert "Được tiếp nhận" in page
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y %H:%M") in page
    assert "Tờ khai đăng ký khai sinh" in page and "Giấy chứng sinh" in page
    assert "Thẩm định, xử lý hồ sơ" in page  # the default workflow's steps (the control sheet)
    assert "Tiếp nhận hồ sơ tại bộ phận một cửa" in page  # the timeline's first entry
    assert 'href="/thu-tuc/1.001193/"' in page
    for label in ("Chuyển xử lý", "Yêu cầu bổ sung hồ sơ", "Từ chối tiếp nhận"):
        assert label in page
    assert "Hoàn thành bước" not in page


def test_a_dossier_goes_from_forward_to_handover_through_the_pages(as_user, people, dossier):
    response = act(as_user(people.reception), dossier, "forward")
    assert response.status_code == 302
    follow = as_user(people.reception).get(response["Location"]).content.decode()
    assert "Đã thực hiện: Chuyển xử lý." in follow
    assert "Đang xử lý" in follow

    specialist = as_user(people.specialist)
    assert "Hoàn thành bước “Thẩm định, xử lý hồ sơ”" in page_of(specialist, dossier)
    assert act(specialist, dossier, "complete_step", outcome="Hồ sơ đủ điều kiện").status_code == 302
    assert act(as_user(people.approver), dossier, "complete_step").status_code == 302
    reception = as_user(people.reception)
    assert "Kết quả giải quyết" in page_of(reception, dossier)  # the last step records the result
    assert act(reception, dossier, "complete_step", result="Giấy khai sinh bản chính").status_code == 302
    assert act(reception, dossier, "hand_over").status_code == 302

    dossier.refresh_from_db()
    assert dossier.status == 10 and dossier.result_summary == "Giấy khai sinh bản chính"
    page = page_of(reception, dossier)
    assert "Đã trả kết quả" in page
    assert "Ý kiến: Hồ sơ đủ điều kiện" in page
    assert "Bạn không có thao tác nào" in page
    assert dossier.history.count() == 6
    checked, problems = audit.verify()
    assert checked >= 6 and problems == []


def test_a_supplement_request_lists_the_missing_papers(as_user, people, dossier):
    reception = as_user(people.reception)
    empty = act(reception, dossier, "request_supplement", reason="Thiếu giấy tờ", missing_papers="  \n ")
    assert empty.status_code == 422
    assert "Cần liệt kê giấy tờ phải bổ sung." in empty.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).stage == "received"
    no_reason = act(reception, dossier, "request_supplement", missing_papers="Giấy chứng sinh")
    assert "Cần nêu lý do." in no_reason.content.decode()

    ok = act(reception, dossier, "request_supplement", reason="Bản sao mờ, không đọc được",
             missing_papers="Giấy chứng sinh\nGiấy tờ chứng minh nơi cư trú")
    assert ok.status_code == 302
    page = page_of(reception, dossier)
    assert "Yêu cầu bổ sung giấy tờ" in page
    assert "Giấy tờ chứng minh nơi cư trú" in page
    assert "In Mẫu 02" in page
    assert "Nhận hồ sơ bổ sung" in page
    assert act(reception, dossier, "supplement").status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).stage == "received"
    assert "Yêu cầu bổ sung hồ sơ</summary>" not in page_of(reception, dossier)  # only once


def test_an_apology_moves_the_due_moment(as_user, people, dossier):
    transition(dossier.pk, "forward", actor=people.reception)
    approver = as_user(people.approver)
    dossier.refresh_from_db()
    new_due = timezone.localtime(dossier.due_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    bad = act(approver, dossier, "apologize", reason="Chờ xác minh", new_due_at="ngày mai")
    assert bad.status_code == 422
    assert "Ngày giờ hẹn không hợp lệ" in bad.content.decode()
    ok = act(approver, dossier, "apologize", reason="Chờ xác minh thông tin cư trú", new_due_at=new_due)
    assert ok.status_code == 302
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).strftime("%Y-%m-%dT%H:%M") == new_due
    page = page_of(approver, dossier)
    assert "Hẹn lại ngày trả kết quả" in page
    assert "Chờ xác minh thông tin cư trú" in page


def test_a_stale_page_gets_the_conflict_message_and_writes_nothing(as_user, people, dossier):
    stale = action_data(dossier, "request_supplement", reason="Thiếu", missing_papers="Giấy chứng sinh")
    transition(dossier.pk, "forward", actor=people.reception)  # someone else moved it meanwhile
    response = as_user(people.reception).post(
        reverse("backoffice:dossier_action", args=[dossier.pk, "request_supplement"]), stale)
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert not Dossier.objects.get(pk=dossier.pk).supplement_requests.exists()


def test_a_move_not_allowed_now_is_refused_with_the_allowed_moves(as_user, people, dossier):
    response = act(as_user(people.reception), dossier, "hand_over")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Không thể “Trả kết quả”" in page
    assert "Các thao tác được phép:" in page and "Chuyển xử lý" in page
    assert Dossier.objects.get(pk=dossier.pk).history.count() == 1


def test_the_same_post_twice_moves_once(as_user, people, dossier):
    client = as_user(people.reception)
    data = action_data(dossier, "forward")
    url = reverse("backoffice:dossier_action", args=[dossier.pk, "forward"])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).history.filter(action="forward").count() == 1


def test_a_refusal_needs_a_reason_and_gives_the_refusal_slip(as_user, people, dossier):
    reception = as_user(people.reception)
    assert "Cần nêu lý do." in act(reception, dossier, "refuse", reason=" ").content.decode()
    assert act(reception, dossier, "refuse", reason="Không thuộc thẩm quyền",
               referral="UBND xã nơi cư trú của người mẹ").status_code == 302
    page = page_of(reception, dossier)
    assert "Không được tiếp nhận" in page and "In Mẫu 03" in page
    issued = reception.post(reverse("backoffice:slip_issue", args=[dossier.pk, "refusal"]))
    assert issued.status_code == 302
    assert dossier.slips.get().data["referral"] == "UBND xã nơi cư trú của người mẹ"


def test_a_slip_that_does_not_apply_is_refused(as_user, people, dossier):
    response = as_user(people.reception).post(reverse("backoffice:slip_issue", args=[dossier.pk, "apology"]))
    assert response.status_code == 403
    assert not dossier.slips.exists()


def test_the_dossier_page_reads_a_constant_number_of_queries(as_user, people, dossier, django_assert_max_num_queries):
    client = as_user(people.reception)
    client.get(reverse("backoffice:dossier", args=[dossier.pk]))
    with django_assert_max_num_queries(20):  # 14 today: session, user, memberships, dossier + 7 prefetches, …
        client.get(reverse("backoffice:dossier", args=[dossier.pk]))
