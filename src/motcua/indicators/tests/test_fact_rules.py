"""The §3.5 rules a dossier's fact row applies (2.1), hand-computed on source rows, without a database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.indicators.services import _facts

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def row(**kw):
    base = {
        "pk": 1, "receiving_agency_id": 7, "procedure_version__procedure_id": 3,
        "procedure_version__results": [{"name": "Giấy khai sinh"}], "channel": "in_person", "stage": "in_step",
        "received_at": datetime(2026, 9, 8, 9, tzinfo=VN), "due_at": datetime(2026, 9, 11, 17, tzinfo=VN),
        "supplement_count": 0, "paused_at": None, "finished_at": None, "returned_at": None, "closed_at": None,
        "fee_amount": None, "first_done_at": None, "first_previous_due": None, "pending_request_at": None,
        "has_eresult": False, "has_components": True, "has_undigitised": False, "has_paid": False,
        "has_vneid": False, "has_feedback": False,
    }
    base.update(kw)
    return base


def fact(**kw):
    return _facts([row(**kw)], {}, {})[1]


def test_finished_on_time_is_never_late_and_late_counts_from_the_due_day():
    assert fact(first_done_at=datetime(2026, 9, 11, 16, tzinfo=VN))["late_on"] is None
    assert fact(first_done_at=datetime(2026, 9, 11, 17, tzinfo=VN))["late_on"] is None  # exactly at the due moment
    assert fact(first_done_at=datetime(2026, 9, 11, 17, 1, tzinfo=VN))["late_on"] == date(2026, 9, 11)
    # still open: late from its due day onwards (late at the end of any period ending on or after it)
    assert fact()["late_on"] == date(2026, 9, 11)


def test_done_takes_precedence_over_the_hand_over():
    # done (9) on time, handed over (10) after the due moment: the end is the first terminal event
    f = fact(first_done_at=datetime(2026, 9, 10, 9, tzinfo=VN), returned_at=datetime(2026, 9, 15, 9, tzinfo=VN),
             closed_at=datetime(2026, 9, 15, 9, tzinfo=VN), stage="returned")
    assert f["late_on"] is None and f["finished"]


def test_a_single_supplement_never_answered_ends_at_the_request():
    waiting = fact(stage="supplement", supplement_count=1, paused_at=datetime(2026, 9, 10, 9, tzinfo=VN),
                   pending_request_at=datetime(2026, 9, 10, 9, tzinfo=VN))
    assert waiting["late_on"] is None
    # asked after the due moment: late
    late = fact(stage="supplement", supplement_count=1, pending_request_at=datetime(2026, 9, 14, 9, tzinfo=VN))
    assert late["late_on"] == date(2026, 9, 11)


def test_more_than_one_supplement_request_is_late_from_reception():
    f = fact(supplement_count=2, first_done_at=datetime(2026, 9, 9, 9, tzinfo=VN))
    assert f["late_on"] == date(2026, 9, 8)


def test_an_apology_does_not_move_the_legal_due_moment():
    f = fact(due_at=datetime(2026, 9, 18, 17, tzinfo=VN), first_previous_due=datetime(2026, 9, 11, 17, tzinfo=VN),
             first_done_at=datetime(2026, 9, 16, 9, tzinfo=VN))
    assert f["late_on"] == date(2026, 9, 11)


def test_no_due_moment_is_not_late_and_refusal_ends_processing():
    assert fact(due_at=None)["late_on"] is None
    refused = fact(stage="refused", closed_at=datetime(2026, 9, 8, 10, tzinfo=VN))
    assert refused["late_on"] is None and not refused["finished"]


def test_digitisation_e_result_payment_and_processing_time_flags():
    done = datetime(2026, 9, 10, 9, tzinfo=VN)
    f = _facts([row(first_done_at=done, fee_amount=50_000, has_paid=True)], {}, {1: timedelta(hours=24)})[1]
    # every paper scanned, but finished without the e-result its paper result needs: not digitised
    assert not f["digitised"] and f["paper_result"] and not f["eresult"]
    assert f["fee_bearing"] and f["paid_online"]
    assert f["processing_hours"] == 48 - 24  # 2 days elapsed minus 1 day waiting for papers
    with_eresult = fact(first_done_at=done, has_eresult=True)
    assert with_eresult["digitised"] and with_eresult["eresult"]
    assert not fact(has_undigitised=True)["digitised"]
    assert not fact(fee_amount=0, has_paid=True)["paid_online"]  # no fee: not in 3.6 at all
    rated = _facts([row()], {1: True}, {})[1]
    assert rated["rated"] and rated["disliked"]
