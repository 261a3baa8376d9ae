"""A system administrator gives officials their agencies and roles in the Django admin."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from motcua.accounts.models import StaffMembership

pytestmark = pytest.mark.django_db


def test_memberships_are_listed_and_edited_on_the_user_page(client, people):
    admin = User.objects.create_superuser("quantri", password="mat-khau-du-dai-2026")
    client.force_login(admin)
    listing = client.get(reverse("admin:accounts_staffmembership_changelist"), {"q": "An Thạnh"})
    assert listing.status_code == 200
    assert "tiepnhan" in listing.content.decode()
    page = client.get(reverse("admin:auth_user_change", args=[people.reception.pk]))
    assert page.status_code == 200
    assert "phân công vào cơ quan và vai trò" in page.content.decode().lower()
    assert StaffMembership.objects.filter(user=people.reception).count() == 1
