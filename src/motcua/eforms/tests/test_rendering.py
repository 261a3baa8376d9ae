"""The rendered form as a screen reader and a keyboard user meet it, for the five real forms."""

from html.parser import HTMLParser

import pytest
from django.http import QueryDict

from motcua.eforms.rendering import render_form
from motcua.eforms.services import validate_submission

from .conftest import BA_DINH, HA_NOI, khai_sinh_answers

pytestmark = pytest.mark.django_db
FORM_CODES = ["khai_sinh", "ket_hon", "thuong_tru", "ly_lich", "ho_kinh_doanh"]


class Page(HTMLParser):
    """The elements of a fragment with their attributes, ids, labels and legends."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text_of_id: dict[str, str] = {}
        self.labels_for: dict[str, str] = {}
        self.legends: list[str] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: (v if v is not None else "") for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag not in ("input", "br", "link", "meta", "img"):
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, attributes, texts = self._open.pop()
            text = " ".join(" ".join(texts).split())
            if self._open:
                self._open[-1][2].append(text)
            if "id" in attributes:
                self.text_of_id[attributes["id"]] = text
            if open_tag == "label" and "for" in attributes:
                self.labels_for[attributes["for"]] = text
            if open_tag == "legend":
                self.legends.append(text)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def controls(self):
        return [(tag, a) for tag, a in self.elements if tag in ("input", "select", "textarea")]

    def by_id(self, element_id):
        return next(a for _tag, a in self.elements if a.get("id") == element_id)


@pytest.mark.parametrize("form", FORM_CODES)
def test_every_control_has_a_label_and_every_reference_resolves(form, request):
    eform = request.getfixturevalue(form)
    page = Page(str(render_form(eform)))
    ids = [a["id"] for _tag, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for _tag, attributes in page.controls():
        assert page.labels_for.get(attributes["id"]), f"no label for {attributes.get('name')}"
        for referenced in attributes.get("aria-describedby", "").split():
            assert referenced in page.text_of_id
    # Every field of the schema is asked, and each section is a fieldset with its legend.
    names = {a["name"] for _tag, a in page.controls()}
    assert set(eform.definition.fields) <= names
    assert [s.legend for s in eform.definition.sections] == [
        legend for legend in page.legends if legend in {s.legend for s in eform.definition.sections}]


def test_required_is_written_in_the_label_not_only_shown(khai_sinh):
    page = Page(str(render_form(khai_sinh)))
    assert page.labels_for["tk-child-full-name"] == "Họ, chữ đệm và tên (bắt buộc)"
    assert page.by_id("tk-child-full-name")["aria-required"] == "true"
    assert page.labels_for["tk-child-hometown"] == "Quê quán"
    assert page.labels_for["tk-father-full-name"] == "Họ, chữ đệm và tên (bắt buộc nếu khai mục này)"
    assert "required" not in page.by_id("tk-child-full-name")  # no browser popup in another language


def test_errors_are_announced_linked_and_tied_to_their_field(khai_sinh):
    post = QueryDict(mutable=True)
    post.update(khai_sinh_answers(**{"child.date_of_birth": "31/02/2025", "child.full_name": ""}))
    _clean, errors = validate_submission(khai_sinh, post)
    page = Page(str(render_form(khai_sinh, data=post, errors=errors)))
    summary = next(a for _t, a in page.elements if "eform-summary" in a.get("class", ""))
    assert summary["role"] == "alert"
    links = [a["href"] for tag, a in page.elements if tag == "a"]
    assert links == ["#tk-child-full-name", "#tk-child-date-of-birth"]
    dob = page.by_id("tk-child-date-of-birth")
    assert dob["aria-invalid"] == "true" and dob["value"] == "31/02/2025"  # what was typed stays
    assert "tk-child-date-of-birth-loi" in dob["aria-describedby"].split()
    assert page.text_of_id["tk-child-date-of-birth-loi"] == "Lỗi: Ngày sinh: phải là ngày hợp lệ (dd/mm/yyyy)"
    assert page.by_id("tk-child-full-name")["aria-invalid"] == "true"
    assert "aria-invalid" not in page.by_id("tk-mother-full-name")


def test_a_fresh_form_is_prefilled_from_the_profile_and_a_redisplay_is_not(thuong_tru):
    profile = {"profile.full_name": "Hoàng Thu Trang", "profile.id_number": "001196003333",
               "profile.date_of_birth": "1996-11-20", "profile.phone": "0868123456"}
    page = Page(str(render_form(thuong_tru, prefill=profile)))
    assert page.by_id("tk-person-full-name")["value"] == "Hoàng Thu Trang"
    assert page.by_id("tk-person-date-of-birth")["value"] == "20/11/1996"  # shown as Vietnamese write it
    assert page.by_id("tk-person-id-number")["inputmode"] == "numeric"
    assert page.by_id("tk-person-phone")["type"] == "tel"
    cleared = QueryDict("person.full_name=")
    assert Page(str(render_form(thuong_tru, data=cleared, prefill=profile))).by_id("tk-person-full-name")["value"] == ""


def test_choices_keep_their_labels_and_the_selection(ly_lich):
    page = Page(str(render_form(ly_lich, data={"card_type": "2", "person": {"ethnicity": "Tày"}})))
    radio = page.by_id("tk-card-type-2")
    assert radio["type"] == "radio" and "checked" in radio
    assert page.labels_for["tk-card-type-2"] == "Phiếu lý lịch tư pháp số 2"
    selected = [a for tag, a in page.elements if tag == "option" and "selected" in a]
    assert {"value": "Tày", "selected": ""} in selected
    # The radio group is a fieldset whose legend is the question.
    assert "Loại Phiếu yêu cầu cấp (bắt buộc)" in page.legends
    # A fresh form starts on the schema's default.
    assert "checked" in Page(str(render_form(ly_lich))).by_id("tk-person-id-kind-1")


def test_the_unit_picker_lists_the_communes_of_the_chosen_province(khai_sinh):
    page = Page(str(render_form(khai_sinh, data=khai_sinh_answers())))
    province = page.by_id("tk-child-birth-unit-tinh")
    assert province["name"] == "child.birth_unit__province"
    options = [(a.get("value"), "selected" in a) for tag, a in page.elements if tag == "option"]
    assert (HA_NOI, True) in options and (BA_DINH, True) in options
    fresh = Page(str(render_form(khai_sinh)))
    assert [a.get("value") for tag, a in fresh.elements if tag == "option"].count(BA_DINH) == 0
    form = next(a for _t, a in fresh.elements if a.get("class") == "eform")
    assert form["data-units-url"] == "/api/v1/units"


def test_a_prefix_keeps_names_and_ids_apart_from_the_page(khai_sinh):
    page = Page(str(render_form(khai_sinh, prefix="tokhai-", include_assets=False)))
    names = [a["name"] for _t, a in page.controls()]
    assert all(name.startswith("tokhai-") for name in names)
    assert not any(tag == "link" for tag, _a in page.elements)
    post = QueryDict(mutable=True)
    post.update({f"tokhai-{k}": v for k, v in khai_sinh_answers().items()})
    assert validate_submission(khai_sinh, post, prefix="tokhai-")[1] == {}
