"""Forms as published law (never edited, revised by date) and citizens' drafts."""

import importlib
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict

from motcua.catalog.models import Procedure
from motcua.dossiers.errors import InvalidInputError
from motcua.dossiers.models import Applicant
from motcua.eforms import selectors, services
from motcua.eforms.models import Draft, EForm
from motcua.units.models import AdministrativeUnit

from .conftest import BA_DINH, khai_sinh_answers

pytestmark = pytest.mark.django_db
FIVE = ["1.001193", "1.000894", "1.004222", "3.000333", "1.001612"]


def test_the_data_migration_publishes_the_five_forms_for_the_real_procedures():
    from django.apps import apps

    migration = importlib.import_module("motcua.eforms.migrations.0002_five_forms")
    EForm.objects.filter(version=1, procedure__code__in=FIVE).delete()
    migration.load(apps, None)
    migration.load(apps, None)  # run twice (a re-applied migration): still one revision each
    forms = {code: selectors.eform_for_code(code) for code in FIVE}
    assert all(form is not None and form.published and form.version == 1 for form in forms.values())
    assert EForm.objects.filter(procedure__code__in=FIVE).count() == 5
    birth = forms["1.001193"]
    assert birth.procedure.current_version.name == "Thủ tục đăng ký khai sinh"
    assert "Thông tư số 04/2020/TT-BTP" in birth.legal_source
    assert forms["1.004222"].procedure.current_version.name == "Đăng ký thường trú"


def test_a_published_form_is_never_edited_or_deleted(khai_sinh):
    khai_sinh.title = "Tờ khai khác"
    with pytest.raises(ValidationError, match="không được sửa"):
        khai_sinh.save()
    with pytest.raises(ValidationError, match="không được xóa"):
        khai_sinh.delete()
    assert EForm.objects.get(pk=khai_sinh.pk).title == "Tờ khai đăng ký khai sinh"


def test_a_revision_applies_from_its_date_and_the_old_one_before(khai_sinh):
    user = User.objects.create_user("quantri", is_staff=True)
    revision = services.new_revision(khai_sinh, created_by=user)
    assert (revision.version, revision.published, revision.schema) == (2, False, khai_sinh.schema)
    revision.title = "Tờ khai đăng ký khai sinh (mẫu mới)"
    revision.valid_from = date.today() + timedelta(days=30)
    revision.save()  # unpublished: still editable
    assert selectors.eform_for(khai_sinh.procedure) == khai_sinh  # not published yet
    services.publish(revision)
    assert selectors.eform_for(khai_sinh.procedure) == khai_sinh  # not in force yet
    assert selectors.eform_for(khai_sinh.procedure, on=revision.valid_from) == revision


def test_publishing_checks_the_form_first():
    procedure = Procedure.objects.get(code="1.001193")
    broken = EForm.objects.create(procedure=procedure, version=99, title="Thử", valid_from=date(2025, 1, 1),
                                  legal_source="", schema={"type": "object", "properties": {"a": {"type": "string"}}},
                                  ui={"sections": [{"legend": "A", "fields": ["a", "b"]}]})
    with pytest.raises(InvalidInputError) as caught:
        services.publish(broken)
    assert "“b” không có trong lược đồ" in caught.value.errors["ui"]
    broken.refresh_from_db()
    assert not broken.published


def test_a_localised_procedure_uses_the_central_form(khai_sinh):
    local = Procedure.objects.create(code="1.001193.H26", template=khai_sinh.procedure)
    assert selectors.eform_for(local) == khai_sinh


def test_a_procedure_without_a_form_has_none():
    assert selectors.eform_for_code("1.000000") is None


def test_a_draft_keeps_what_was_typed_without_checking_it(khai_sinh):
    citizen = User.objects.create_user("congdan")
    post = QueryDict(mutable=True)
    post.update({"child.full_name": "Nguyễn Minh", "child.date_of_birth": "32/13/2025",
                 "child.birth_unit__province": "01", "csrfmiddlewaretoken": "x", "not.a.field": "y"})
    services.save_draft(citizen, khai_sinh, post)
    assert services.load_draft(citizen, khai_sinh) == {
        "child.full_name": "Nguyễn Minh", "child.date_of_birth": "32/13/2025", "child.birth_unit__province": "01"}
    post["child.full_name"] = "Nguyễn Minh Khang"
    services.save_draft(citizen, khai_sinh, post)
    assert Draft.objects.filter(user=citizen).count() == 1
    assert services.load_draft(citizen, khai_sinh)["child.full_name"] == "Nguyễn Minh Khang"
    services.discard_draft(citizen, khai_sinh)
    assert services.load_draft(citizen, khai_sinh) is None


def test_a_draft_carries_over_to_a_new_revision_of_the_form(khai_sinh):
    citizen = User.objects.create_user("congdan2")
    services.save_draft(citizen, khai_sinh, khai_sinh_answers())
    schema = {**khai_sinh.schema, "properties": {k: v for k, v in khai_sinh.schema["properties"].items() if k != "copies"},
              "required": khai_sinh.schema["required"]}
    ui = {**khai_sinh.ui, "sections": [s for s in khai_sinh.ui["sections"] if s["fields"] != ["copies"]],
          "fields": {k: v for k, v in khai_sinh.ui["fields"].items() if k != "copies"}}
    revision = services.create_eform(procedure=khai_sinh.procedure, title=khai_sinh.title, valid_from=khai_sinh.valid_from,
                                     legal_source=khai_sinh.legal_source, schema=schema, ui=ui)
    carried = services.load_draft(citizen, revision)
    assert carried["child.full_name"] == "Nguyễn Minh Khang" and "copies" not in carried


def test_the_profile_prefills_from_the_account_and_the_latest_applicant_record():
    citizen = User.objects.create_user("congdan3", email="trang@example.vn", first_name="Trang", last_name="Hoàng Thu")
    assert selectors.profile_values(citizen) == {"profile.full_name": "Hoàng Thu Trang", "profile.email": "trang@example.vn"}
    unit = AdministrativeUnit.objects.get(edition="2025", code=BA_DINH)
    Applicant.objects.create(full_name="Hoàng Thu Trang", id_number="001196003333", date_of_birth=date(1996, 11, 20),
                             phone="0868123456", address="Ngõ 15 phố Văn Cao", unit=unit, user=citizen)
    values = selectors.profile_values(citizen)
    assert values["profile.id_number"] == "001196003333" and values["profile.date_of_birth"] == "1996-11-20"
    assert values["profile.unit_code"] == BA_DINH and values["profile.phone"] == "0868123456"
    assert "profile.tax_code" not in values  # nothing invented
