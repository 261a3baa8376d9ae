"""Declarations checked against the five real forms: what a citizen types and what the server answers."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.errors import InvalidInputError
from motcua.eforms.services import validate_or_raise, validate_submission

from .conftest import BA_DINH, PHUC_XA_2004_ONLY, khai_sinh_answers

pytestmark = pytest.mark.django_db


def as_post(answers: dict) -> QueryDict:
    post = QueryDict(mutable=True)
    for key, value in answers.items():
        post[key] = value
    return post


def test_a_complete_birth_registration_is_clean_and_typed(khai_sinh):
    clean, errors = validate_submission(khai_sinh, as_post(khai_sinh_answers()))
    assert errors == {}
    assert clean["child"] == {
        "full_name": "Nguyễn Minh Khang", "date_of_birth": "2025-03-05", "sex": "Nam", "ethnicity": "Kinh",
        "nationality": "Việt Nam", "birth_place": "Bệnh viện Phụ sản Hà Nội", "birth_unit": BA_DINH,
    }
    assert clean["requester"]["phone"] == "0912345678"
    assert clean["mother"]["birth_year"] == 1994 and clean["copies"] == 2 and clean["declaration"] is True
    assert "father" not in clean  # nobody filled the optional group in


def test_an_empty_form_names_every_required_field_by_its_label(khai_sinh):
    _clean, errors = validate_submission(khai_sinh, QueryDict())
    assert errors["child.full_name"] == "Họ và tên người được khai sinh: không được để trống"
    assert errors["child.date_of_birth"] == "Ngày sinh: không được để trống"
    assert errors["declaration"] == "Lời cam đoan: cần đánh dấu để xác nhận"
    assert "father.full_name" not in errors
    # The messages come in the order of the form, so the summary reads top to bottom.
    assert list(errors).index("requester.full_name") < list(errors).index("child.full_name") < list(errors).index("declaration")


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("child.date_of_birth", "31/02/2025", "Ngày sinh: phải là ngày hợp lệ (dd/mm/yyyy)"),
    ("child.date_of_birth", "hôm qua", "Ngày sinh: phải là ngày hợp lệ (dd/mm/yyyy)"),
    ("requester.id_number", "12345", "Số định danh cá nhân của người yêu cầu: phải gồm 12 chữ số"),
    ("requester.phone", "0123456789", "Số điện thoại: phải là số điện thoại Việt Nam"),
    ("requester.email", "an@", "Thư điện tử: phải là địa chỉ thư điện tử hợp lệ"),
    ("child.sex", "Khác", "Giới tính: phải chọn một trong: Nam, Nữ"),
    ("child.ethnicity", "Viking", "Dân tộc của người được khai sinh: phải chọn một giá trị trong danh sách"),
    ("mother.birth_year", "một chín chín tư", "Năm sinh của mẹ: phải là số nguyên"),
    ("mother.birth_year", "1850", "Năm sinh của mẹ: phải từ 1.900 trở lên"),
    ("copies", "25", "Số bản sao Giấy khai sinh đề nghị cấp: không được lớn hơn 20"),
    ("child.birth_unit", PHUC_XA_2004_ONLY, "Xã/phường nơi sinh: phải là một tỉnh/thành phố hoặc xã/phường/đặc khu"),
])
def test_a_wrong_value_gets_a_vietnamese_message_naming_the_field(khai_sinh, field, typed, message):
    _clean, errors = validate_submission(khai_sinh, as_post(khai_sinh_answers(**{field: typed})))
    assert list(errors) == [field]
    assert errors[field].startswith(message)


def test_a_birth_date_in_the_future_is_refused(khai_sinh):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    _clean, errors = validate_submission(khai_sinh, as_post(khai_sinh_answers(**{"child.date_of_birth": tomorrow})))
    assert errors == {"child.date_of_birth": "Ngày sinh: không được sau ngày hôm nay"}


def test_a_started_optional_group_must_be_completed(khai_sinh):
    _clean, errors = validate_submission(khai_sinh, as_post(khai_sinh_answers(**{"father.residence": "Hà Nội"})))
    assert errors["father.full_name"] == "Họ và tên cha: không được để trống"
    assert set(errors) == {"father.full_name", "father.birth_year", "father.nationality"}


def test_what_the_form_itself_prefilled_does_not_start_an_optional_group(khai_sinh):
    # The fresh form shows "Việt Nam" as the father's nationality: posting it back untouched
    # must not make the father's other fields required.
    clean, errors = validate_submission(khai_sinh, as_post(khai_sinh_answers(**{"father.nationality": "Việt Nam"})))
    assert errors == {} and "father" not in clean


def test_a_json_body_nested_as_the_schema_is_checked_the_same(khai_sinh):
    clean, _errors = validate_submission(khai_sinh, as_post(khai_sinh_answers()))
    again, errors = validate_submission(khai_sinh, clean)
    assert errors == {} and again == clean


def test_validate_or_raise_gives_the_api_every_message(khai_sinh):
    with pytest.raises(InvalidInputError) as caught:
        validate_or_raise(khai_sinh, {"child": {"full_name": "A"}})
    assert caught.value.errors["child.date_of_birth"] == "Ngày sinh: không được để trống"
    assert caught.value.status_code == 422


def marriage(**changes):
    today = timezone.localdate()
    answers = {}
    for side, age in (("wife", 25), ("husband", 27)):
        answers.update({
            f"{side}.full_name": "Lê Thị Hoa" if side == "wife" else "Phạm Văn Nam",
            f"{side}.date_of_birth": today.replace(year=today.year - age).strftime("%d/%m/%Y"),
            f"{side}.ethnicity": "Kinh", f"{side}.nationality": "Việt Nam",
            f"{side}.residence": "Số 5 phố Kim Mã", f"{side}.residence_unit": BA_DINH,
            f"{side}.id_number": "001195001234" if side == "wife" else "001097004321", f"{side}.marriage_count": "1",
        })
    answers.update({"contact_phone": "0987654321", "declaration": "on"}, **changes)
    return as_post(answers)


def test_the_legal_marriage_age_is_a_rule_of_the_form(ket_hon):
    assert validate_submission(ket_hon, marriage())[1] == {}
    today = timezone.localdate()
    day_before_20th_birthday = (today.replace(year=today.year - 20) + timedelta(days=1)).strftime("%d/%m/%Y")
    _clean, errors = validate_submission(ket_hon, marriage(**{"husband.date_of_birth": day_before_20th_birthday}))
    assert errors == {"husband.date_of_birth": "Ngày sinh của bên nam: chưa đủ tuổi kết hôn: nam từ đủ 20 tuổi, "
                                               "nữ từ đủ 18 tuổi (Luật Hôn nhân và gia đình 2014, Điều 8)"}
    exactly_18 = today.replace(year=today.year - 18).strftime("%d/%m/%Y") if not (today.month == 2 and today.day == 29) \
        else (today - timedelta(days=1)).replace(year=today.year - 18).strftime("%d/%m/%Y")
    assert validate_submission(ket_hon, marriage(**{"wife.date_of_birth": exactly_18}))[1] == {}


def criminal_record_request(**changes):
    answers = {
        "person.full_name": "Đỗ Quang Huy", "person.sex": "Nam", "person.date_of_birth": "14/09/1990",
        "person.birth_place": "Phường Ba Đình, Thành phố Hà Nội", "person.nationality": "Việt Nam",
        "person.residence": "Số 8 phố Liễu Giai, phường Ngọc Hà, Hà Nội", "person.id_kind": "can-cuoc",
        "person.id_document": "001090065432", "person.phone": "0903123456",
        "record_status": "khong", "card_type": "1", "copies": "1", "purpose": "Bổ sung hồ sơ xin việc",
        "declaration": "on",
    }
    answers.update(changes)
    return as_post(answers)


def test_card_number_two_requires_the_parents_names(ly_lich):
    assert validate_submission(ly_lich, criminal_record_request())[1] == {}
    _clean, errors = validate_submission(ly_lich, criminal_record_request(card_type="2"))
    assert errors == {"person.father_name": "Họ và tên cha: không được để trống",
                      "person.mother_name": "Họ và tên mẹ: không được để trống"}


def test_an_identity_card_number_is_checked_but_a_passport_number_is_not(ly_lich):
    _clean, errors = validate_submission(ly_lich, criminal_record_request(**{"person.id_document": "C1234567"}))
    assert errors == {"person.id_document": "Số giấy tờ tùy thân: phải gồm 12 chữ số (số định danh cá nhân in trên thẻ căn cước)"}
    passport = criminal_record_request(**{"person.id_kind": "ho-chieu", "person.id_document": "C1234567"})
    assert validate_submission(ly_lich, passport)[1] == {}


def test_a_declared_criminal_record_needs_its_details(ly_lich):
    _clean, errors = validate_submission(ly_lich, criminal_record_request(record_status="co"))
    assert errors == {"record_details": "Nội dung án tích: không được để trống"}


def household_business(**changes):
    answers = {
        "business.name": "Hộ kinh doanh Minh Anh", "business.address": "Số 20 phố Nguyễn Thái Học",
        "business.address_unit": BA_DINH, "business.activities": "Bán lẻ lương thực, thực phẩm (4711)",
        "business.capital": "150.000.000", "business.employees": "3",
        "owner.full_name": "Vũ Minh Anh", "owner.sex": "Nữ", "owner.date_of_birth": "02/01/1988",
        "owner.ethnicity": "Kinh", "owner.nationality": "Việt Nam", "owner.id_number": "001188007777",
        "owner.residence": "Số 20 phố Nguyễn Thái Học", "owner.residence_unit": BA_DINH, "owner.phone": "0977 123 456",
        "declaration": "on",
    }
    answers.update(changes)
    return as_post(answers)


def test_a_household_business_registration(ho_kinh_doanh):
    clean, errors = validate_submission(ho_kinh_doanh, household_business(**{"owner.tax_code": "8001234567-001"}))
    assert errors == {}
    assert clean["business"]["capital"] == 150_000_000 and clean["owner"]["tax_code"] == "8001234567-001"
    _clean, errors = validate_submission(ho_kinh_doanh, household_business(**{
        "business.name": "Minh Anh", "owner.tax_code": "12345", "business.capital": "0"}))
    assert errors == {
        "business.name": "Tên hộ kinh doanh: phải bắt đầu bằng cụm từ “Hộ kinh doanh” rồi đến tên riêng, "
                         "ví dụ: Hộ kinh doanh Minh Anh",
        "business.capital": "Vốn kinh doanh: phải từ 1 trở lên",
        "owner.tax_code": "Mã số thuế cá nhân (nếu có): phải gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số "
                          "(ví dụ 0101234567-001), hoặc số định danh cá nhân 12 chữ số",
    }


def test_permanent_residence_basis_is_one_of_the_cases_of_the_law(thuong_tru):
    answers = {
        "person.full_name": "Hoàng Thu Trang", "person.date_of_birth": "20/11/1996", "person.sex": "Nữ",
        "person.id_number": "001196003333", "person.phone": "0868123456",
        "household.head_full_name": "Hoàng Văn Lâm", "household.head_relationship": "con",
        "household.head_id_number": "001065002222", "request.address": "Ngõ 15 phố Văn Cao",
        "request.address_unit": BA_DINH, "request.basis": "ve-o-voi-nguoi-than",
        "request.content": "Đăng ký thường trú", "declaration": "on",
    }
    clean, errors = validate_submission(thuong_tru, as_post(answers))
    assert errors == {} and clean["request"]["basis"] == "ve-o-voi-nguoi-than"
    _clean, errors = validate_submission(thuong_tru, as_post({**answers, "request.basis": "mua-ban"}))
    assert errors["request.basis"] == "Trường hợp đăng ký: phải chọn một giá trị trong danh sách"


def test_an_overlong_answer_is_refused_even_without_a_schema_limit(ho_kinh_doanh):
    _clean, errors = validate_submission(ho_kinh_doanh, household_business(**{"business.activities": "x" * 2001}))
    assert errors == {"business.activities": "Ngành, nghề kinh doanh: không được dài quá 2000 ký tự"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(
    st.sampled_from(list(khai_sinh_answers()) + ["father.full_name", "father.birth_year", "mother.residence_unit"]),
    st.text(max_size=30), max_size=12))
def test_whatever_is_posted_the_answer_is_clean_data_or_messages(khai_sinh, values):
    clean, errors = validate_submission(khai_sinh, as_post(khai_sinh_answers(**values)))
    assert isinstance(clean, dict)
    assert all(isinstance(message, str) and ": " in message for message in errors.values())
    assert set(errors) <= set(khai_sinh.definition.fields) | {"__all__"}
