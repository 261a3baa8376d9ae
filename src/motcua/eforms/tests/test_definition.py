"""What an administrator is told when a form's JSON is wrong; the shipped forms are all right."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.dossiers.errors import InvalidInputError
from motcua.eforms.definition import check_definition, definition_errors, parse_definition

FORMS = sorted((Path(__file__).resolve().parents[1] / "data" / "forms").glob("*.json"))

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["full_name"],
    "properties": {
        "full_name": {"type": "string", "maxLength": 100},
        "phone": {"type": "string", "format": "vn-phone"},
        "sex": {"type": "string", "enum": ["Nam", "Nữ"]},
    },
}
UI = {
    "sections": [{"legend": "Người khai", "fields": ["full_name", "phone", "sex"]}],
    "fields": {"full_name": {"label": "Họ và tên"}, "phone": {"label": "Số điện thoại", "widget": "phone"},
               "sex": {"label": "Giới tính", "widget": "radio"}},
}


def errors_of(schema=None, ui=None) -> str:
    found = definition_errors(schema if schema is not None else SCHEMA, ui if ui is not None else UI)
    return " ".join(" ".join(messages) for messages in found.values())


def changed(document, mutate):
    document = copy.deepcopy(document)
    mutate(document)
    return document


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_every_shipped_form_is_valid_and_cites_its_law(path):
    form = json.loads(path.read_text(encoding="utf-8"))
    assert definition_errors(form["schema"], form["ui"]) == {}
    assert "Thông tư" in form["legal_source"] or "Mẫu số" in form["legal_source"]
    definition = parse_definition(form["schema"], form["ui"])
    assert all(field.label and field.error_name for field in definition.fields.values())
    # Messages name fields unambiguously: no two fields share the name an error uses.
    names = [field.error_name for field in definition.fields.values()]
    assert len(names) == len(set(names))


def test_a_valid_definition_has_no_errors():
    assert definition_errors(SCHEMA, UI) == {}


def test_a_schema_that_is_not_json_schema_is_refused():
    text = errors_of(schema=changed(SCHEMA, lambda s: s["properties"]["full_name"].update(maxLength="một trăm")))
    assert "Lược đồ không hợp lệ theo JSON Schema 2020-12 tại “properties/full_name/maxLength”" in text


def test_the_ui_may_only_name_fields_of_the_schema():
    ui = changed(UI, lambda u: u["sections"][0]["fields"].append("email"))
    assert "Mục “Người khai” nêu trường “email” không có trong lược đồ." in errors_of(ui=ui)
    ui = changed(UI, lambda u: u["fields"].update({"emial": {"label": "Thư"}}))
    assert "Giao diện mô tả trường “emial” không có trong lược đồ." in errors_of(ui=ui)


def test_a_schema_field_no_section_shows_is_reported():
    ui = changed(UI, lambda u: u["sections"][0]["fields"].remove("phone"))
    assert "Trường “phone” có trong lược đồ nhưng chưa được xếp vào mục nào" in errors_of(ui=ui)


def test_a_field_in_two_sections_is_reported():
    ui = changed(UI, lambda u: u["sections"].append({"legend": "Liên hệ", "fields": ["phone"]}))
    assert "Trường “phone” được xếp vào cả mục “Người khai” và mục “Liên hệ”." in errors_of(ui=ui)


@pytest.mark.parametrize(("hints", "expected"), [
    ({"widget": "slider"}, "kiểu nhập “slider” không có"),
    ({"widget": "checkbox"}, "ô đánh dấu (checkbox) chỉ dùng cho trường kiểu “boolean”"),
    ({"widget": "date"}, "kiểu nhập “date” cần “format”: “date”"),
    ({"widget": "select"}, "kiểu nhập “select” cần danh sách giá trị “enum”"),
    ({"prefill": "profile.salary"}, "nguồn điền sẵn “profile.salary” không có"),
    ({"lable": "Họ tên"}, "khóa giao diện lạ “lable”"),
    ({"label": ""}, "chưa có nhãn"),
])
def test_field_hints_are_checked(hints, expected):
    ui = changed(UI, lambda u: u["fields"]["full_name"].update(hints))
    assert expected in errors_of(ui=ui)


def test_unknown_formats_and_unsupported_types_are_reported():
    schema = changed(SCHEMA, lambda s: s["properties"]["phone"].update(format="vn-phon"))
    assert "định dạng “vn-phon” không được hỗ trợ" in errors_of(schema=schema)
    schema = changed(SCHEMA, lambda s: s["properties"].update(children={"type": "array"}))
    assert "Trường “children”: “type” phải là một trong string, integer, number, boolean" in errors_of(schema=schema)
    schema = changed(SCHEMA, lambda s: s.update(required=["full_name", "ho_ten"]))
    assert "nêu trường “ho_ten” không có trong “properties”" in errors_of(schema=schema)


def test_check_definition_raises_with_a_message_per_document():
    with pytest.raises(InvalidInputError) as caught:
        check_definition(SCHEMA, {"sections": []})
    assert set(caught.value.errors) == {"ui"}


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20),
       st.sampled_from(["schema", "ui"]))
def test_any_json_an_administrator_types_gets_messages_not_a_crash(document, which):
    schema, ui = (document, UI) if which == "schema" else (SCHEMA, document)
    found = definition_errors(schema, ui)
    assert all(isinstance(m, str) and m for messages in found.values() for m in messages)
