"""`motcua search`: ranked JSON for scripts, one line per query in batch mode, clear errors."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args, stdin: str = "", monkeypatch=None) -> str:
    out = io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_json_is_a_ranked_array_with_code_name_score_level_domain():
    hits = json.loads(run("dang ky khai sinh", "--json", "--limit", "3"))
    assert len(hits) == 3
    assert hits[0]["code"] == "1.001193"
    assert hits[0]["name"] == "Thủ tục đăng ký khai sinh"
    assert hits[0]["domain"] == "Hộ tịch"
    assert hits[0]["level"] == ["commune"]
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]


def test_batch_prints_one_array_per_input_line(monkeypatch):
    lines = run("--batch", "--json", "--limit", "2", stdin="bằng lái\n\n1.000894\ncap lai cccd\n",
                monkeypatch=monkeypatch).splitlines()
    assert len(lines) == 4
    answers = [json.loads(line) for line in lines]
    assert "giấy phép lái xe" in answers[0][0]["name"].lower()
    assert answers[1] == []  # a blank line keeps its place
    assert [h["code"] for h in answers[2]] == ["1.000894"]
    assert "căn cước" in answers[3][0]["name"]
    assert all(len(a) <= 2 for a in answers)


def test_text_output_lists_code_and_name():
    out = run("1.001193")
    assert out.startswith("1.001193")
    assert "Thủ tục đăng ký khai sinh" in out


def test_nothing_found_says_so():
    assert "Không tìm thấy" in run("9.999999")


def test_explain_shows_how_the_query_was_understood():
    understood = json.loads(run("làm sao để đổi bằng lái", "--explain"))
    assert understood["dropped"] == ["lam sao de"]
    assert ["bang lai", "giay phep lai xe"] in [c["alternatives"] for c in understood["concepts"]]


@pytest.mark.parametrize(("args", "message"), [
    ((), "Thiếu câu tìm kiếm"),
    (("khai sinh", "--batch"), "--batch"),
    (("khai sinh", "--limit", "0"), "--limit phải từ 1 đến 100"),
    (("khai sinh", "--limit", "abc"), "--limit phải là một số nguyên"),
    (("khai sinh", "--limit", "1000"), "--limit phải từ 1 đến 100"),
])
def test_bad_arguments_get_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("search", *args, stdout=io.StringIO())
