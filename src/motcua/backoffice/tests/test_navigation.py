"""The back office's menu links to the PAKN queue, SIPAS, the 766 drill-down and the reform pages,
each only for the officials whom that page itself lets in (its own access rule)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client) -> dict[str, str]:
    """The menu's links, label → href, as a visitor of the queue page sees them."""
    html = client.get(reverse("backoffice:queue")).content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    if nav is None:
        return {}
    return {label.strip(): href.replace("&amp;", "&")
            for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))}


def test_a_reception_officer_sees_pakn_766_and_reform_but_not_sipas(as_user, people):
    menu = _menu(as_user(people.reception))
    assert menu["Phản ánh, kiến nghị"] == "/mot-cua/pakn/"
    assert menu["Cải cách TTHC"] == "/mot-cua/cai-cach/"
    assert menu["Chỉ số 766"].startswith("/mot-cua/chi-so/ho-so/?scope_kind=agency&scope_code=000.21.31.H53&")
    assert "Khảo sát SIPAS" not in menu


@pytest.mark.parametrize("who", ["approver", "outsider"])
def test_a_leader_who_runs_the_province_survey_sees_sipas(as_user, people, who):
    assert _menu(as_user(getattr(people, who)))["Khảo sát SIPAS"] == "/mot-cua/sipas/"


def test_every_menu_link_opens_for_the_official_who_sees_it(as_user, people):
    client = as_user(people.approver)
    for label, href in _menu(client).items():
        response = client.get(href)
        assert response.status_code == 200, (label, href, response.status_code)


def test_a_specialist_following_the_sipas_address_finds_nothing_to_run(as_user, people):
    # The page opens for any official but lists only the campaigns one runs: no link, no campaign.
    response = as_user(people.specialist).get("/mot-cua/sipas/")
    assert "Khảo sát SIPAS" not in _menu(as_user(people.specialist))
    assert response.status_code == 200


def test_no_menu_for_visitors_without_a_membership(client, as_user, people):
    assert _menu(client) == {}  # sent to the login page
    response = as_user(people.nobody).get(reverse("backoffice:queue"))
    assert response.status_code == 403
    assert "/mot-cua/pakn/" not in response.content.decode()
    assert "/mot-cua/cai-cach/" not in response.content.decode()
