"""`motcua workdays ...` run as the console script runs it: output, and exit status on bad input."""

import json

import pytest

from motcua.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    # The console script closes every connection when a command ends (BaseCommand.run_from_argv);
    # inside a test that would end the test's transaction on PostgreSQL.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(capsys, *args):
    """Run `motcua workdays ARGS` as the console script does; returns (exit status, stdout, stderr)."""
    status = 0
    try:
        main(["workdays", *args])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def test_due_prints_an_iso_datetime_with_offset(capsys):
    status, out, err = run(capsys, "due", "--received", "2026-11-26T10:00", "--limit", "3", "--unit", "working_day")
    assert (status, out, err) == (0, "2026-12-01T17:00:00+07:00\n", "")


def test_due_with_channel_pauses_and_agency(capsys):
    status, out, _ = run(
        capsys, "due", "--received", "2026-11-28T21:00+07:00", "--limit", "3", "--unit", "working_day",
        "--channel", "online", "--pause", "2026-12-01T09:00/2026-12-01T11:00", "--agency", "000.00.00.H53",
    )
    assert status == 0
    assert out == "2026-12-04T09:30:00+07:00\n"


def test_due_accepts_other_offsets_and_prints_vietnam_time(capsys):
    # 03:00 UTC = 10:00 in Vietnam.
    status, out, _ = run(capsys, "due", "--received", "2026-11-26T03:00Z", "--limit", "8", "--unit", "working_hour")
    assert (status, out) == (0, "2026-11-27T10:00:00+07:00\n")


def test_due_calendar_days_landing_on_sunday(capsys):
    status, out, _ = run(capsys, "due", "--received", "2026-11-25T10:00", "--limit", "4", "--unit", "day")
    assert (status, out) == (0, "2026-11-30T17:00:00+07:00\n")


def test_due_json_explains_the_result(capsys):
    status, out, _ = run(capsys, "due", "--received", "2026-11-26T15:30", "--limit", "3", "--unit", "working_day",
                         "--json")
    assert status == 0
    data = json.loads(out)
    assert data["effective_receipt"] == "2026-11-27T07:30:00+07:00"
    assert data["due_at"] == "2026-12-02T17:00:00+07:00"
    assert data["rule_set"] == "Quy tắc tính hạn từ 21/06/2018"


@pytest.mark.parametrize(("args", "message"), [
    (["--received", "26/11/2026 10:00", "--limit", "3", "--unit", "working_day"],
     "--received: '26/11/2026 10:00' không phải ngày giờ ISO 8601"),
    (["--received", "2026-11-26", "--limit", "3", "--unit", "working_day"], "--received: '2026-11-26' thiếu giờ"),
    (["--received", "2026-11-26T10:00", "--limit", "-3", "--unit", "working_day"],
     "--limit: Thời hạn phải lớn hơn 0"),
    (["--received", "2026-11-26T10:00", "--limit", "ba", "--unit", "working_day"],
     "--limit: Thời hạn 'ba' không phải là một số"),
    (["--received", "2026-11-26T10:00", "--limit", "3", "--unit", "week"],
     "--unit: Đơn vị thời hạn 'week' không hợp lệ"),
    (["--received", "2026-11-26T10:00", "--limit", "3", "--unit", "working_day", "--channel", "fax"],
     "--channel: Hình thức tiếp nhận 'fax' không hợp lệ"),
    (["--received", "2026-11-26T10:00", "--limit", "3", "--unit", "working_day", "--agency", "000.00.00.H99"],
     "--agency: Không tìm thấy cơ quan có mã định danh '000.00.00.H99'"),
    (["--received", "2026-11-26T10:00", "--limit", "3", "--unit", "working_day",
      "--pause", "2026-11-27T11:00/2026-11-27T09:00"], "--pause: Khoảng tạm dừng thứ 1 kết thúc"),
    (["--received", "2026-11-26T10:00", "--limit", "3", "--unit", "working_day", "--pause", "2026-11-27T11:00"],
     "--pause: '2026-11-27T11:00' phải có dạng BẮT_ĐẦU/KẾT_THÚC"),
    (["--limit", "3", "--unit", "working_day"], "Thiếu --received"),
])
def test_bad_input_gets_a_vietnamese_error_and_a_failing_status(capsys, args, message):
    status, out, err = run(capsys, "due", *args)
    assert status != 0
    assert out == ""
    assert message in err


def test_seed_and_days(capsys):
    status, out, _ = run(capsys, "seed", "--years", "2026")
    assert status == 0
    assert "giữ nguyên 15" in out  # 14 days of 2026 listed by the package + the make-up Saturday 22/08
    status, out, _ = run(capsys, "days", "--year", "2026")
    assert status == 0
    assert "2026-08-22 Thứ Bảy" in out and "Ngày làm việc bù" in out
    assert "Ngày Văn hóa Việt Nam  [không áp dụng]" in out
    status, _, err = run(capsys, "seed", "--years", "hai nghìn")
    assert status != 0 and "--years" in err
