"""The pages: submit form, tracking, public answers and votes, the officials' queue and case page,
with bad input on every form and every kind of visitor on every page."""

import pytest
from django.urls import reverse

from motcua.feedback import services
from motcua.feedback.choices import Status
from motcua.feedback.models import FeedbackCase
from motcua.feedback.text import HIDDEN

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "report", "category": "conduct", "title": "Cán bộ hẹn lại nhiều lần",
    "content": "Cán bộ tiếp nhận hẹn tôi quay lại ba lần mà không nói rõ còn thiếu giấy tờ gì.",
    "submitter_name": "Trần Thị Bình", "submitter_email": "binh@example.vn", "submitter_phone": "0987654321",
    "submitter_address": "Thôn Đông, xã Hòa Bình", "consent_publish": "on",
}


def post_good(client, agency, **changes):
    data = {**GOOD, "agency": agency.pk, **changes}
    return client.post(reverse("feedback:submit"), data)


def login(client, user):
    client.force_login(user)
    return client


def test_submit_form_and_tracking(client, agencies):
    page = client.get(reverse("feedback:submit"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vui lòng gõ tiếng Việt có dấu" in html and "biên tập trước khi đăng" in html
    response = post_good(client, agencies[0])
    case = FeedbackCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("feedback:case", args=[case.code])
    page = client.get(response.url)
    assert page.status_code == 200 and case.code in page.content.decode()
    assert case.submitter_user is None and case.category == "conduct"


def test_submit_from_a_procedure_page_preselects_its_agency(client):
    from django.db.models import F

    from motcua.catalog.models import VersionAgency

    named = (VersionAgency.objects.filter(agency__isnull=False, version__procedure__current_version=F("version"))
             .select_related("version__procedure").order_by("pk").first())
    procedure = named.version.procedure
    page = client.get(reverse("feedback:submit") + f"?thu-tuc={procedure.code}")
    html = page.content.decode()
    assert page.status_code == 200 and procedure.code in html
    assert f'<option value="{named.agency_id}" selected>' in html
    response = client.post(reverse("feedback:submit"), {**GOOD, "agency": named.agency_id, "thu-tuc": procedure.code})
    assert response.status_code == 302
    case = FeedbackCase.objects.get()
    assert case.procedure == procedure and case.agency_id == named.agency_id


def test_bad_input_names_fields_and_keeps_text(client, agencies):
    data = {**GOOD, "agency": "999999999", "title": "", "submitter_email": "sai", "submitter_phone": "12"}
    response = client.post(reverse("feedback:submit"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Cơ quan đã chọn không có trong danh sách" in html
    assert GOOD["content"] in html, "what was typed is kept"
    response = client.post(reverse("feedback:submit"), {**GOOD, "agency": agencies[0].pk, "title": "",
                                                         "submitter_email": "sai", "submitter_phone": "12"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tiêu đề: Tiêu đề cần ít nhất 5 ký tự." in html
    assert "Thư điện tử: Thư điện tử không đúng dạng" in html
    assert "Số điện thoại: Số điện thoại gồm 10 hoặc 11 chữ số" in html
    assert GOOD["content"] in html and 'aria-invalid="true"' in html
    assert FeedbackCase.objects.count() == 0


def test_text_without_diacritics_warns_then_sends_when_confirmed(client, agencies):
    unmarked = "Can bo tiep nhan hen toi quay lai ba lan ma khong noi ro con thieu giay to gi"
    response = post_good(client, agencies[0], content=unmarked)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nội dung có vẻ được gõ không dấu" in html and unmarked in html
    assert "Tôi đã xem lại và vẫn muốn gửi nội dung này" in html
    assert FeedbackCase.objects.count() == 0
    response = post_good(client, agencies[0], content=unmarked, confirm_no_diacritics="on")
    assert response.status_code == 302
    assert FeedbackCase.objects.get().content == unmarked


def test_tracking_lookup_by_code_and_contact(client, submit):
    case = submit()
    url = reverse("feedback:track")
    for contact in ("sai@example.vn", "0900000000", ""):
        response = client.post(url, {"code": case.code, "contact": contact})
        assert response.status_code == 422
    assert client.get(reverse("feedback:case", args=[case.code])).status_code == 404
    response = client.post(url, {"code": case.code.lower(), "contact": "0912 345 678"})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    other = client.__class__()
    response = other.post(url, {"code": case.code, "contact": "AN.NGUYEN@example.vn"})
    assert response.status_code == 302


def test_who_sees_the_tracking_page(client, submit, people):
    case = submit(user=people["citizen"])
    url = reverse("feedback:case", args=[case.code])
    assert client.get(url).status_code == 404  # anonymous
    assert login(client, people["citizen"]).get(url).status_code == 200  # the submitter's account
    for who in ("other_citizen", "specialist", "other_official"):
        assert login(client, people[who]).get(url).status_code == 404, who


def test_submitter_supplements_and_follows_up(client, submit, people):
    case = submit(user=people["citizen"])
    login(client, people["citizen"])
    services.transition(case.pk, "request_supplement", actor=people["specialist"],
                        data={"reason": "Cho biết ngày đến cơ quan."})
    url = reverse("feedback:submitter_action", args=[case.code, "supplement"])
    response = client.post(url, {"content": ""})
    assert response.status_code == 422 and "Hãy nhập thông tin bổ sung." in response.content.decode()
    assert client.post(url, {"content": "Ngày 20/4."}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    # Another citizen cannot act on it.
    login(client, people["other_citizen"])
    assert client.post(url, {"content": "x"}).status_code == 404
    services.transition(case.pk, "answer", actor=people["specialist"], data={"answer": "Đã nhắc nhở cán bộ."})
    login(client, people["citizen"])
    reopen = reverse("feedback:submitter_action", args=[case.code, "reopen"])
    response = client.post(reopen, {"content": "", "disagrees_with_result": "on"})
    assert response.status_code == 422 and "Hãy nhập ý kiến" in response.content.decode()
    assert client.post(reopen, {"content": "Chưa thỏa đáng.", "disagrees_with_result": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REOPENED and case.repeated_complaint


def _publish(case, people):
    services.transition(case.pk, "answer", actor=people["specialist"],
                        data={"answer": "Đã liên hệ ông Nguyễn Văn An qua số 0912345678 để hướng dẫn."})
    return services.transition(case.pk, "publish", actor=people["moderator"])


def test_public_list_shows_only_published_answers_without_personal_data(client, submit, people):
    hidden = submit(title="Chưa trả lời nên không công khai")
    case = _publish(submit(), people)
    html = client.get(reverse("feedback:index")).content.decode()
    assert case.code in html and hidden.code not in html
    page = client.get(reverse("feedback:published", args=[case.code]))
    html = page.content.decode()
    assert page.status_code == 200
    for leaked in ("Nguyễn Văn An", "0912345678", "an.nguyen@example.vn"):
        assert leaked not in html
    assert HIDDEN in html
    assert client.get(reverse("feedback:published", args=[hidden.code])).status_code == 404
    found = client.get(reverse("feedback:index"), {"q": "thoi han giai quyet"}, HTTP_HX_REQUEST="true")
    assert case.code in found.content.decode() and "<html" not in found.content.decode()
    assert case.code not in client.get(reverse("feedback:index"), {"q": "khong co gi"}).content.decode()


def test_votes_via_htmx_are_idempotent(client, submit, people):
    case = _publish(submit(), people)
    url = reverse("feedback:vote", args=[case.code])
    for _ in range(2):
        response = client.post(url, {"binh-chon": "khong-dong-tinh"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    case.refresh_from_db()
    assert (case.likes, case.dislikes) == (0, 1)
    assert 'aria-pressed="true">Không đồng tình' in response.content.decode()
    assert client.post(url, {"binh-chon": "???"}, HTTP_HX_REQUEST="true").status_code == 422
    login(client, people["other_citizen"]).post(url, {"binh-chon": "dong-tinh"})
    case.refresh_from_db()
    assert (case.likes, case.dislikes) == (1, 1)
    unpublished = submit()
    assert client.post(reverse("feedback:vote", args=[unpublished.code]), {"binh-chon": "dong-tinh"}).status_code == 404


def test_office_pages_permissions(client, submit, people):
    case = submit()
    queue, page = reverse("feedback:office_queue"), reverse("feedback:office_case", args=[case.pk])
    assert client.get(queue).status_code == 302 and client.get(page).status_code == 302  # anonymous → login
    login(client, people["citizen"])
    assert client.get(queue).status_code == 403 and client.get(page).status_code == 403
    login(client, people["specialist"])
    html = client.get(queue).content.decode()
    assert case.code in html
    response = client.get(page)
    assert response.status_code == 200 and "Từ chối tiếp nhận" in response.content.decode()
    assert "Biên tập và công khai" not in response.content.decode()
    login(client, people["other_official"])
    assert case.code not in client.get(queue).content.decode()
    assert client.get(page).status_code == 404
    action = reverse("feedback:office_action", args=[case.pk, "accept"])
    assert client.post(action, {"expected_version": case.version}).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_office_actions_with_bad_and_good_input(client, submit, people, agencies):
    case = submit()
    login(client, people["specialist"])
    url = lambda action: reverse("feedback:office_action", args=[case.pk, action])  # noqa: E731
    response = client.post(url("refuse"), {"expected_version": case.version, "reason": ""})
    assert response.status_code == 422 and "Cần nêu lý do từ chối tiếp nhận." in response.content.decode()
    response = client.post(url("forward"), {"expected_version": case.version, "agency": "khong-co", "reason": "x"})
    assert response.status_code == 422 and "Không tìm thấy cơ quan" in response.content.decode()
    response = client.post(url("answer"), {"expected_version": case.version, "answer": ""})
    assert response.status_code == 422 and "Hãy nhập nội dung trả lời." in response.content.decode()
    response = client.post(url("answer"), {"expected_version": case.version - 1, "answer": "Trả lời."})
    assert response.status_code == 422 and "vừa được người khác cập nhật" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.history.count() == 1
    assert client.post(url("answer"), {"expected_version": case.version, "answer": "Trả lời."}).status_code == 302
    case.refresh_from_db()
    response = client.post(url("publish"), {"expected_version": case.version})
    assert response.status_code == 422 and "không có quyền" in response.content.decode()
    login(client, people["moderator"])
    response = client.post(url("publish"), {"expected_version": case.version, "published_title": "",
                                            "published_content": "Nội dung", "published_answer": "Trả lời"})
    # An emptied field falls back to the automatic draft, so publishing succeeds with the redacted texts.
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED and case.published_title == case.title


def test_forward_from_the_case_page(client, submit, people, agencies):
    case = submit()
    login(client, people["specialist"])
    target = agencies[1]
    response = client.post(reverse("feedback:office_action", args=[case.pk, "forward"]),
                           {"expected_version": case.version, "agency": target.organ_code or target.slug,
                            "reason": "Thuộc thẩm quyền tỉnh khác."})
    assert response.status_code == 302 and response.url == reverse("feedback:office_queue")
    case.refresh_from_db()
    assert case.agency == target
    assert case.code in login(client, people["other_official"]).get(reverse("feedback:office_queue")).content.decode()


def test_office_queue_flags(client, submit, people):
    from datetime import timedelta

    from django.utils import timezone

    late = submit(at=timezone.now() - timedelta(days=60))
    fresh = submit()
    login(client, people["specialist"])
    response = client.get(reverse("feedback:office_queue"))
    rows = {row["case"].pk: row["flag"] for row in response.context["rows"]}
    assert rows[late.pk] == "late" and rows[fresh.pk] in ("", "due_soon")
    assert "Quá hạn" in response.content.decode()
    soon = submit()
    FeedbackCase.objects.filter(pk=soon.pk).update(answer_due_at=timezone.now() + timedelta(hours=1))
    fresh.refresh_from_db()
    far = fresh.answer_due_at > timezone.now() + timedelta(days=7)
    tabs = {}
    for tab in ("qua-han", "sap-den-han", "dang-xu-ly"):
        response = client.get(reverse("feedback:office_queue"), {"hang-doi": tab})
        tabs[tab] = {row["case"].pk for row in response.context["rows"]}
    assert tabs["qua-han"] == {late.pk}
    assert soon.pk in tabs["sap-den-han"] and late.pk not in tabs["sap-den-han"]
    assert (fresh.pk not in tabs["sap-den-han"]) == far
    assert tabs["dang-xu-ly"] == {late.pk, fresh.pk, soon.pk}
    assert "Quá hạn <span class=\"tab-note\">(1)</span>" in response.content.decode()


def test_links_from_the_portal(client):
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.filter(current_version__isnull=False).order_by("code").first()
    html = client.get(reverse("portal:procedure", args=[procedure.code])).content.decode()
    assert f'{reverse("feedback:submit")}?thu-tuc={procedure.code}' in html
    assert "Phản ánh về thủ tục này" in html
    assert reverse("feedback:index") in client.get(reverse("feedback:submit")).content.decode()


def test_signed_in_citizen_gets_the_form_prefilled_and_the_case_in_their_account(client, agencies, people):
    from motcua.citizens.models import CitizenProfile

    citizen = people["citizen"]
    CitizenProfile.objects.create(user=citizen, full_name="Lê Văn Cường", phone="0911111111")
    login(client, citizen)
    form = client.get(reverse("feedback:submit")).context["form"]
    assert form["submitter_name"].value() == "Lê Văn Cường"
    assert form["submitter_email"].value() == "dan@example.vn" and form["submitter_phone"].value() == "0911111111"
    assert post_good(client, agencies[0]).status_code == 302
    case = FeedbackCase.objects.get()
    assert case.submitter_user == citizen
    other = client.__class__()
    other.force_login(citizen)  # another browser, same account: no lookup needed
    assert other.get(reverse("feedback:case", args=[case.code])).status_code == 200
