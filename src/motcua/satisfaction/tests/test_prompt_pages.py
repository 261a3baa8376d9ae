"""The rating box on the citizen's pages: their dossier page (/ho-so-cua-toi/<mã>/) and the public
lookup (/tra-cuu-ho-so/) show it once the dossier has ended, and not before."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from motcua.citizens.models import CitizenProfile
from motcua.dossiers.choices import Stage
from motcua.satisfaction.choices import Level
from motcua.satisfaction.tests.factories import PHONE, dossier
from motcua.satisfaction.tests.test_ratings import rate

pytestmark = pytest.mark.django_db
PROMPT = "Đánh giá mức độ hài lòng"


@pytest.fixture
def citizen():
    user = User.objects.create_user("binh@example.vn", email="binh@example.vn", password="Hoa-sen-nở-2025")
    CitizenProfile.objects.create(user=user, full_name="Trần Văn Bình", phone=PHONE,
                                  email_verified_at=timezone.now())
    return user


def test_the_dossier_page_asks_for_a_rating_once_the_dossier_ended(client, citizen):
    client.force_login(citizen)
    running = dossier(stage=Stage.IN_STEP, user=citizen)
    assert PROMPT not in client.get(f"/ho-so-cua-toi/{running.code}/").content.decode()

    ended = dossier(user=citizen)
    html = client.get(f"/ho-so-cua-toi/{ended.code}/").content.decode()
    assert PROMPT in html and f'href="/danh-gia/{ended.code}/"' in html

    rate(ended, level=Level.SATISFIED)
    html = client.get(f"/ho-so-cua-toi/{ended.code}/").content.decode()
    assert "Ông/bà đã đánh giá: “Hài lòng”" in html and "Sửa đánh giá" in html


def test_the_public_lookup_asks_for_a_rating_once_the_dossier_ended(client):
    running, ended = dossier(stage=Stage.IN_STEP), dossier()
    html = client.post("/tra-cuu-ho-so/", {"code": running.code, "phone": PHONE}).content.decode()
    assert running.code in html and PROMPT not in html

    html = client.post("/tra-cuu-ho-so/", {"code": ended.code, "phone": PHONE}).content.decode()
    assert PROMPT in html and f'href="/danh-gia/{ended.code}/"' in html
    # The phone was just checked: the rating form opens without asking for it again.
    html = client.get(f"/danh-gia/{ended.code}/").content.decode()
    assert 'name="level"' in html and 'name="phone"' not in html


def test_a_failed_lookup_shows_no_prompt(client):
    ended = dossier()
    response = client.post("/tra-cuu-ho-so/", {"code": ended.code, "phone": "0987654321"})
    assert response.status_code == 404 and PROMPT not in response.content.decode()
