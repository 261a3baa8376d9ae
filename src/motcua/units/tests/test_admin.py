"""The admin lists units, successions and agencies, and finds them by a name typed without marks."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path, query, expected", [
    ("/admin/units/administrativeunit/", "phuong ba dinh", "Phường Ba Đình"),
    ("/admin/units/unitsuccession/", "truc bach", "Phường Trúc Bạch"),
    ("/admin/units/agency/", "bo xay dung", "000.00.00.G17"),
])
def test_admin_search_finds_names_typed_without_diacritics(admin_client, path, query, expected):
    response = admin_client.get(path, {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_admin_filters_render(admin_client):
    response = admin_client.get("/admin/units/administrativeunit/", {"edition": "2025", "level": "province"})
    assert response.status_code == 200
    assert "Thành phố Hồ Chí Minh" in response.content.decode()
    response = admin_client.get("/admin/units/agency/", {"in_force": "no"})
    assert "Bộ Giao thông vận tải" in response.content.decode()
    response = admin_client.get("/admin/units/agency/", {"in_force": "yes"})
    assert "Bộ Giao thông vận tải" not in response.content.decode()
