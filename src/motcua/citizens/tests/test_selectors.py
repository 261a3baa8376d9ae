"""What the rest of the platform reads from an account: the prefill of e-forms and who may submit."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from motcua.citizens import selectors

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_prefill_of_a_person_s_account(make_citizen):
    from motcua.units.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.get(edition="2025", level="commune", code="00004")
    user = make_citizen(date_of_birth=date(1990, 3, 4), id_number="001090000123", address_line="12 phố Hàng Bài",
                        unit=unit)
    assert selectors.profile_prefill(user) == {
        "kind": "person", "applicant_name": "Trần Văn An", "full_name": "Trần Văn An",
        "date_of_birth": "1990-03-04", "id_number": "001090000123", "phone": "0987654321",
        "email": "an.tran@example.vn", "address_line": "12 phố Hàng Bài",
        "address": "12 phố Hàng Bài, Phường Ba Đình, Thành phố Hà Nội", "unit_code": "00004",
        "unit_name": "Phường Ba Đình", "province_code": "01", "province_name": "Thành phố Hà Nội",
        "organisation_name": "", "tax_code": "",
    }


def test_nothing_to_prefill_for_visitors_and_officials():
    assert selectors.profile_prefill(AnonymousUser()) == {}
    assert selectors.profile_prefill(User.objects.create_user("canbo")) == {}
    assert not selectors.can_submit_dossiers(AnonymousUser())


def test_only_a_verified_active_citizen_may_submit(make_citizen):
    verified, unverified = make_citizen("a@example.vn"), make_citizen("b@example.vn", verified=False)
    assert selectors.can_submit_dossiers(verified) and not selectors.can_submit_dossiers(unverified)
    User.objects.filter(pk=verified.pk).update(is_active=False)
    assert not selectors.can_submit_dossiers(User.objects.get(pk=verified.pk))
