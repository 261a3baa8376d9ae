"""The lifecycle through services: deadlines in working days (hand-computed), on-time per stage,
forwarding, moderation and redaction, votes, follow-ups, and the indicators contract."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.models import AuditRecord, OutboxEvent
from motcua.feedback import selectors, services
from motcua.feedback.choices import Status
from motcua.feedback.errors import InvalidInputError, NotPermittedError, TransitionNotAllowedError
from motcua.feedback.models import CaseEvent, FeedbackCase, FeedbackLimit
from motcua.feedback.tests.conftest import make_submission, vn
from motcua.feedback.text import HIDDEN

pytestmark = pytest.mark.django_db

# Friday 24/04/2026 10:00. Sat 25, Sun 26 (Giỗ Tổ), Mon 27 (nghỉ bù) are off; so are Thu 30/04 and Fri 01/05.
FRIDAY = vn(2026, 4, 24, 10, 0)


def test_deadlines_over_weekend_and_holidays(submit):
    case = submit(at=FRIDAY)
    assert case.code.startswith("PAKN-20260424-")
    assert case.status == Status.RECEIVED
    # Refuse ≤ 2 WD: Tue 28 (1), Wed 29 (2).
    assert case.refuse_due_at == vn(2026, 4, 29, 17, 0)
    # Supplement request ≤ 5 WD: 28, 29, (30/4 and 1/5 off) Mon 4, Tue 5, Wed 6 May.
    assert case.supplement_due_at == vn(2026, 5, 6, 17, 0)
    # Answer ≤ 15 WD: 28, 29, 4–8 May (7), 11–15 (12), 18, 19, 20 (15).
    assert case.answer_due_at == vn(2026, 5, 20, 17, 0)


def test_whole_lifecycle_on_time(submit, people):
    case = submit(at=FRIDAY)
    case = services.transition(case.pk, "accept", actor=people["specialist"], at=vn(2026, 4, 28, 9, 0))
    case = services.transition(case.pk, "request_supplement", actor=people["specialist"],
                               data={"reason": "Đề nghị cho biết mã hồ sơ."}, at=vn(2026, 4, 28, 10, 0))
    assert case.status == Status.SUPPLEMENT_REQUESTED and case.supplement_on_time is True
    case = services.transition(case.pk, "supplement", submitter=True, data={"content": "Mã hồ sơ là 123."},
                               at=vn(2026, 5, 4, 10, 0))
    # The wait (Tue 28 10:00 → Mon 4 May 10:00) holds 5.5 + 8 + 2.5 = 16 office hours = 2 working days.
    assert case.status == Status.ACCEPTED
    assert case.answer_due_at == vn(2026, 5, 22, 17, 0)
    assert selectors.case_fact(case.pk, now=vn(2026, 5, 4, 11)).handled_on_time is None
    case = services.transition(case.pk, "answer", actor=people["specialist"],
                               data={"answer": "Sở đã chỉ đạo giải quyết hồ sơ của ông Nguyễn Văn An."},
                               at=vn(2026, 5, 19, 9, 0))
    assert case.status == Status.ANSWERED and case.answered_on_time is True
    # Publish ≤ 2 WD after the answer: Wed 20, Thu 21.
    assert case.publish_due_at == vn(2026, 5, 21, 17, 0)
    fact = selectors.case_fact(case.pk, now=vn(2026, 5, 21, 9))
    assert fact.handled and fact.handled_on_time is True
    assert selectors.case_fact(case.pk, now=vn(2026, 5, 21, 17, 1)).handled_on_time is False
    case = services.transition(case.pk, "publish", actor=people["moderator"], at=vn(2026, 5, 21, 16, 0))
    assert case.status == Status.PUBLISHED and case.published_on_time is True
    assert [e.action for e in case.history.all()] == [
        "received", "accepted", "supplement_requested", "supplemented", "answered", "published"]
    topics = list(OutboxEvent.objects.filter(aggregate_type="feedback_case", aggregate_id=str(case.pk))
                  .order_by("id").values_list("topic", flat=True))
    assert topics == ["feedback.received", "feedback.accepted", "feedback.supplement_requested",
                      "feedback.supplemented", "feedback.answered", "feedback.published"]
    event = OutboxEvent.objects.get(topic="feedback.published", aggregate_id=str(case.pk))
    assert event.payload == {"case": case.pk, "agency": case.agency_id, "action": "published",
                             "at": vn(2026, 5, 21, 16, 0).isoformat()}
    assert AuditRecord.objects.filter(object_type="feedback_case", object_id=str(case.pk)).count() == 6


def test_late_stages(submit, people):
    refused = submit(at=FRIDAY)
    refused = services.transition(refused.pk, "refuse", actor=people["specialist"],
                                  data={"reason": "Nội dung là khiếu nại."}, at=vn(2026, 4, 30, 9, 0))
    assert refused.refused_on_time is False
    assert selectors.case_fact(refused.pk).handled_on_time is False

    in_time = submit(at=FRIDAY)
    in_time = services.transition(in_time.pk, "refuse", actor=people["specialist"],
                                  data={"reason": "Nội dung là tố cáo."}, at=vn(2026, 4, 29, 16, 59))
    assert selectors.case_fact(in_time.pk).handled_on_time is True

    late_supplement = submit(at=FRIDAY)
    services.transition(late_supplement.pk, "request_supplement", actor=people["specialist"],
                        data={"reason": "Thiếu thông tin."}, at=vn(2026, 5, 7, 8, 0))
    assert selectors.case_fact(late_supplement.pk).handled_on_time is False

    late_answer = submit(at=FRIDAY)
    late_answer = services.transition(late_answer.pk, "answer", actor=people["specialist"],
                                      data={"answer": "Trả lời."}, at=vn(2026, 5, 21, 9, 0))
    assert late_answer.answered_on_time is False
    # Publish ≤ 2 WD after Thu 21 May: Fri 22, Mon 25 → late on Tue 26.
    assert late_answer.publish_due_at == vn(2026, 5, 25, 17, 0)
    late_publish = services.transition(late_answer.pk, "publish", actor=people["moderator"], at=vn(2026, 5, 26, 9, 0))
    assert late_publish.published_on_time is False


def test_open_case_becomes_late_at_its_due_moment(submit, monkeypatch):
    case = submit(at=FRIDAY)
    assert selectors.handled_on_time(case, vn(2026, 5, 20, 17, 0)) is None
    assert selectors.handled_on_time(case, vn(2026, 5, 20, 17, 1)) is False
    assert selectors.deadline_flags([case], vn(2026, 5, 19, 9, 0))[case.pk] == "due_soon"
    assert selectors.deadline_flags([case], vn(2026, 5, 4, 9, 0))[case.pk] == ""
    assert selectors.deadline_flags([case], vn(2026, 5, 21, 9, 0))[case.pk] == "late"


def test_forwarding_restarts_the_clock(submit, people, agencies):
    case = submit(at=FRIDAY)
    with pytest.raises(NotPermittedError):
        services.transition(case.pk, "forward", actor=people["other_official"],
                            data={"agency": agencies[1], "reason": "x"}, at=vn(2026, 5, 11, 9, 0))
    with pytest.raises(InvalidInputError) as error:
        services.transition(case.pk, "forward", actor=people["specialist"],
                            data={"agency": agencies[0], "reason": "x"}, at=vn(2026, 5, 11, 9, 0))
    assert "agency" in error.value.errors
    case = services.transition(case.pk, "forward", actor=people["specialist"],
                               data={"agency": agencies[1], "reason": "Thuộc thẩm quyền tỉnh khác."},
                               at=vn(2026, 5, 11, 9, 0))
    assert case.agency == agencies[1] and case.status == Status.RECEIVED
    assert case.clock_started_at == vn(2026, 5, 11, 9, 0)
    assert case.refuse_due_at == vn(2026, 5, 13, 17, 0)
    # 15 WD from Mon 11 May: 12–15 (4), 18–22 (9), 25–29 (14), Mon 1 June (15).
    assert case.answer_due_at == vn(2026, 6, 1, 17, 0)
    event = OutboxEvent.objects.get(topic="feedback.forwarded", aggregate_id=str(case.pk))
    assert event.payload["agency"] == agencies[1].pk
    # The first agency no longer handles it; the new one does.
    with pytest.raises(NotPermittedError):
        services.transition(case.pk, "accept", actor=people["specialist"], at=vn(2026, 5, 12, 9, 0))
    case = services.transition(case.pk, "answer", actor=people["other_official"], data={"answer": "Đã xử lý."},
                               at=vn(2026, 5, 28, 9, 0))
    assert case.answered_on_time is True  # late by the first clock, on time by the restarted one


def test_guarded_moves(submit, people):
    case = submit(at=FRIDAY)
    with pytest.raises(TransitionNotAllowedError) as error:
        services.transition(case.pk, "publish", actor=people["moderator"], at=FRIDAY)
    assert "Không thể" in error.value.message
    with pytest.raises(InvalidInputError) as error:
        services.transition(case.pk, "refuse", actor=people["specialist"], data={"reason": "  "}, at=FRIDAY)
    assert error.value.errors == {"reason": "Cần nêu lý do từ chối tiếp nhận."}
    with pytest.raises(TransitionNotAllowedError):
        services.transition(case.pk, "supplement", submitter=True, data={"content": "x"}, at=FRIDAY)
    with pytest.raises(NotPermittedError):
        services.transition(case.pk, "accept", actor=people["citizen"], at=FRIDAY)
    case = services.transition(case.pk, "answer", actor=people["specialist"], data={"answer": "Trả lời."}, at=FRIDAY)
    with pytest.raises(NotPermittedError):  # a specialist cannot publish: moderation is a leader's act
        services.transition(case.pk, "publish", actor=people["specialist"], at=FRIDAY)
    with pytest.raises(NotPermittedError):  # nor the submitter, nor another agency's leader
        services.transition(case.pk, "publish", actor=people["official_b_leader"], at=FRIDAY)
    with pytest.raises(TransitionNotAllowedError):
        services.transition(case.pk, "answer", actor=people["specialist"], data={"answer": "Lần 2"}, at=FRIDAY)
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_moderation_and_redaction(submit, people):
    case = submit(at=FRIDAY, submitter_id_number="001088012345",
                  content="Tôi là Nguyễn Văn An (CCCD 001088012345), số 12 ngõ 34 phố Huế, gọi 0912345678 không ai nghe.")
    assert selectors.published().filter(pk=case.pk).count() == 0
    case = services.transition(case.pk, "answer", actor=people["specialist"], at=FRIDAY, data={
        "answer": "Kính gửi ông Nguyễn Văn An (an.nguyen@example.vn, 0912 345 678): đường dây nóng đã được bổ sung."})
    assert selectors.published().filter(pk=case.pk).count() == 0, "nothing is public before moderation"
    for text in (case.published_content, case.published_answer):
        for leaked in ("Nguyễn Văn An", "001088012345", "0912345678", "0912 345 678", "an.nguyen@example.vn",
                       "ngõ 34"):
            assert leaked not in text
    # The moderator edits; writing the name back in does not publish it.
    case = services.transition(case.pk, "publish", actor=people["moderator"], at=FRIDAY, data={
        "published_title": "Đường dây nóng không trả lời",
        "published_answer": "Trả lời ông Nguyễn Văn An: đường dây nóng đã được bổ sung người trực."})
    assert case.published_answer == f"Trả lời ông {HIDDEN}: đường dây nóng đã được bổ sung người trực."
    assert case.published_title == "Đường dây nóng không trả lời"
    assert list(selectors.published("duong day nong")) == [case]
    assert list(selectors.published("nguyen van an")) == []


def test_no_consent_is_never_published(submit, people):
    case = submit(at=FRIDAY, consent_publish=False)
    case = services.transition(case.pk, "answer", actor=people["specialist"], data={"answer": "Trả lời."}, at=FRIDAY)
    assert case.publish_due_at is None
    with pytest.raises(TransitionNotAllowedError):
        services.transition(case.pk, "publish", actor=people["moderator"], at=FRIDAY)
    assert selectors.case_fact(case.pk).handled_on_time is True
    assert selectors.handled_on_time(case, FRIDAY + timedelta(days=60)) is True


def _published(submit, people):
    case = submit(at=FRIDAY)
    services.transition(case.pk, "answer", actor=people["specialist"], data={"answer": "Trả lời."},
                        at=vn(2026, 4, 28, 9))
    return services.transition(case.pk, "publish", actor=people["moderator"], at=vn(2026, 4, 28, 10))


def test_votes_are_idempotent_per_voter(submit, people):
    unpublished = submit(at=FRIDAY)
    with pytest.raises(TransitionNotAllowedError):
        services.vote(unpublished.pk, voter="session:a", liked=True)
    case = _published(submit, people)
    for _ in range(3):
        case = services.vote(case.pk, voter="session:a", liked=False)
    assert (case.likes, case.dislikes) == (0, 1)
    case = services.vote(case.pk, voter="user:7", liked=True)
    case = services.vote(case.pk, voter="session:b", liked=False)
    assert selectors.case_fact(case.pk).unsatisfactory is True
    case = services.vote(case.pk, voter="session:a", liked=True)  # changes their mind
    assert (case.likes, case.dislikes) == (2, 1)
    assert selectors.case_fact(case.pk).unsatisfactory is False
    assert OutboxEvent.objects.filter(topic="feedback.voted", aggregate_id=str(case.pk)).count() == 4


def test_follow_up_reopens(submit, people):
    case = _published(submit, people)
    with pytest.raises(InvalidInputError):
        services.transition(case.pk, "reopen", submitter=True, data={"content": ""}, at=vn(2026, 5, 4, 9))
    case = services.transition(case.pk, "reopen", submitter=True, at=vn(2026, 5, 4, 9),
                               data={"content": "Tôi chưa đồng ý với trả lời.", "disagrees_with_result": True})
    assert case.status == Status.REOPENED and case.repeated_complaint
    assert selectors.published().filter(pk=case.pk).count() == 0, "withdrawn from the public list until republished"
    # A new answer is due 15 WD after the follow-up (Mon 4 May): 5–8 (4), 11–15, 18–22, 25 (15).
    assert case.answer_due_at == vn(2026, 5, 25, 17, 0)
    fact = selectors.case_fact(case.pk)
    assert fact.repeated_complaint and not fact.handled
    case = services.transition(case.pk, "answer", actor=people["specialist"], data={"answer": "Trả lời lại."},
                               at=vn(2026, 5, 6, 9))
    case = services.transition(case.pk, "publish", actor=people["moderator"], at=vn(2026, 5, 6, 10))
    assert case.status == Status.PUBLISHED and selectors.case_fact(case.pk).handled_on_time is True
    assert selectors.case_fact(case.pk).repeated_complaint is True


def test_limits_are_data_in_force_at_the_case_date(submit):
    FeedbackLimit.objects.create(stage="answer", working_days=10, effective_from=vn(2026, 5, 1).date(),
                                 legal_source="Quy định thử nghiệm")
    before = submit(at=FRIDAY)
    after = submit(at=vn(2026, 5, 4, 9, 0))
    assert before.answer_due_at == vn(2026, 5, 20, 17, 0)
    # 10 WD from Mon 4 May: 5–8 (4), 11–15 (9), 18 (10).
    assert after.answer_due_at == vn(2026, 5, 18, 17, 0)


def test_bad_submission_saves_nothing(agencies):
    count = FeedbackCase.objects.count()
    events = OutboxEvent.objects.count()
    with pytest.raises(InvalidInputError) as error:
        services.submit(make_submission(None, kind="x", category="", title="a", content="ngắn",
                                        submitter_name="", submitter_email="khong-phai-email",
                                        submitter_phone="12ab", submitter_id_number="123"))
    assert set(error.value.errors) == {"kind", "category", "title", "content", "agency", "submitter_name",
                                       "submitter_email", "submitter_phone", "submitter_id_number"}
    with pytest.raises(InvalidInputError) as error:
        services.submit(make_submission(agencies[0], submitter_email="", submitter_phone=""))
    assert "submitter_email" in error.value.errors
    with pytest.raises(InvalidInputError) as error:
        services.submit(make_submission(agencies[0], dossier_code="KHONG-CO"))
    assert "dossier_code" in error.value.errors
    unmarked = make_submission(agencies[0], content="Toi nop ho so tu tuan truoc nhung den nay van chua nhan duoc ket qua")
    with pytest.raises(InvalidInputError) as error:
        services.submit(unmarked)
    assert list(error.value.errors) == ["confirm_no_diacritics"]
    assert FeedbackCase.objects.count() == count and OutboxEvent.objects.count() == events
    unmarked.confirm_no_diacritics = True
    assert services.submit(unmarked).content.startswith("Toi nop")


def test_case_facts_window(submit):
    early = submit(at=FRIDAY)
    late = submit(at=vn(2026, 5, 4, 9))
    facts = list(selectors.case_facts(received_from=vn(2026, 5, 1), received_to=vn(2026, 6, 1)))
    assert [f.case_id for f in facts] == [late.pk]
    fact = selectors.case_fact(early.pk)
    assert fact.category == "regulation" and fact.received_at == FRIDAY and fact.dossier_id is None
    assert selectors.case_fact(10**9) is None


def test_answer_email_goes_to_the_submitter(submit, people):
    from motcua.feedback import handlers
    from motcua.notifications.models import Notification

    case = submit()
    case = services.transition(case.pk, "answer", actor=people["specialist"],
                               data={"answer": "Hồ sơ của ông đã được giải quyết."}, at=timezone.now())
    event = OutboxEvent.objects.get(topic="feedback.answered", aggregate_id=str(case.pk))
    handlers.on_feedback_event(event)
    handlers.on_feedback_event(event)  # a retried event plans nothing twice
    row = Notification.objects.get(event=event)
    assert row.recipient == "an.nguyen@example.vn"
    assert row.subject == f"Trả lời phản ánh, kiến nghị {case.code}"
    assert "Hồ sơ của ông đã được giải quyết." in row.body and "/phan-anh-kien-nghi/tra-cuu/" in row.body


def test_every_email_template_renders(submit, people, agencies):
    from motcua.feedback import handlers

    case = submit()
    case = services.transition(case.pk, "request_supplement", actor=people["specialist"],
                               data={"reason": "Cho biết ngày đến cơ quan."})
    case.refusal_reason, case.answer = "Là khiếu nại.", "Trả lời."
    for action in handlers.TOPICS:
        subject, body = handlers.compose(case, action)
        assert case.code in subject and "Kính gửi Nguyễn Văn An" in body and "{{" not in body, action
    assert "Cho biết ngày đến cơ quan." in handlers.compose(case, "supplement_requested")[1]
