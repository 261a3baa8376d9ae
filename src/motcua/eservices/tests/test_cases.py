"""Papers that apply in one case only (the catalogue says "Trường hợp…", "Đối với…", or lists one
group of papers per case) are optional on the submission page and say which case they are for."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from motcua.catalog.models import Procedure
from motcua.eforms.selectors import eform_for
from motcua.eservices import selectors
from motcua.eservices.tests.conftest import BIRTH

pytestmark = pytest.mark.django_db
PERMANENT_RESIDENCE = "1.004222"  # Đăng ký thường trú


def paper(name: str, case: str = "", condition: str = ""):
    return SimpleNamespace(name=name, case=case, condition=condition)


def test_the_rules_on_shapes_the_catalogue_uses():
    cases = selectors.paper_cases("Đăng ký tạm trú", [
        paper("Tờ khai thay đổi thông tin cư trú", "Hồ sơ đăng ký tạm trú gồm"),
        paper("Văn bản đề nghị đăng ký tạm trú", "Đăng ký tạm trú theo danh sách, hồ sơ gồm"),
        paper("Đối với Quân đội nhân dân: Giấy giới thiệu của đơn vị (ký tên, đóng dấu)."),
        paper("Khi có yêu cầu của cơ quan: bản sao sổ lưu trú"),
        paper("c) Trường hợp mất giấy tờ thì nộp đơn trình báo", condition="Trường hợp mất giấy tờ"),
        paper("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", "b) Trường hợp người chưa thành niên"),
        paper("Giấy tờ thường nhật"),
    ])
    assert cases == [
        "",  # the procedure's name and only "gồm": the general case, for everyone
        "Đăng ký tạm trú theo danh sách, hồ sơ gồm",
        "Đối với Quân đội nhân dân",
        "Khi có yêu cầu của cơ quan",
        "Trường hợp mất giấy tờ",  # the catalogue's own condition
        "b) Trường hợp người chưa thành niên",
        "",
    ]
    # A procedure's only group: its header is a note on every paper, not a case.
    only = selectors.paper_cases("Giải quyết hưởng chế độ", [
        paper("Sổ bảo hiểm xã hội", "Trường hợp không quy định là bản chính thì có thể nộp bản sao hợp lệ"),
        paper("Giấy ra viện", "Trường hợp không quy định là bản chính thì có thể nộp bản sao hợp lệ"),
    ])
    assert only == ["", ""]


def test_permanent_residence_asks_no_paper_of_another_case(client, owner):
    procedure = Procedure.objects.get(code=PERMANENT_RESIDENCE)
    version = procedure.current_version
    slots = selectors.submission_slots(version, eform_for(procedure))
    catalogue_required = [s for s in slots if s.slot.required and not s.covered_by_eform]
    assert len(catalogue_required) >= 10  # what the page asked before: every case's papers at once
    assert [s.name for s in slots if s.required] == []
    rented = [s for s in slots if s.condition == "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ"]
    assert any(s.name.startswith("Hợp đồng, văn bản về việc cho thuê") for s in rented)
    army = next(s for s in slots if "Đối với Quân đội nhân dân" in s.name)
    assert army.condition.startswith("Đăng ký thường trú tại nơi đơn vị đóng quân")

    client.force_login(owner)
    page = client.get(reverse("eservices:submit", args=[PERMANENT_RESIDENCE])).content.decode()
    assert "Chỉ áp dụng: Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ." in page
    assert "Không bắt buộc: chỉ nộp nếu bạn thuộc trường hợp này." in page
    file_inputs = re.findall(r'<input type="file"[^>]*>', page, re.DOTALL)
    assert len(file_inputs) == len(slots)
    assert not [i for i in file_inputs if "aria-required" in i] and "Bắt buộc." not in page


def test_a_paper_for_everyone_stays_required(client, owner):
    procedure = Procedure.objects.get(code=BIRTH)
    slots = selectors.submission_slots(procedure.current_version, eform_for(procedure))
    birth_certificate = next(s for s in slots if s.name.lstrip("- ").startswith("Giấy chứng sinh"))
    assert birth_certificate.required and not birth_certificate.condition
