"""Who may see or change a dossier on the portal: every endpoint × five personas, outcomes in one table.

Decisions (docs/eservices.md, "Permissions"):
- the citizen's pages need a citizen's account: anonymous → 302 to the login page; an official's
  account → 403 ("not a citizen's account"), before any dossier is looked up;
- a citizen never learns whether another's dossier, slip, result or paper exists: 404, exactly
  as for a code that does not exist (no enumeration);
- payments' pages also serve the officials of the receiving agency (they help at the counter),
  with 404 for everyone else, as payments decided.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from motcua.dossiers import slips
from motcua.dossiers.models import Dossier
from motcua.eservices.tests.conftest import pdf_bytes, submit
from motcua.payments.choices import PaymentStatus
from motcua.payments.models import Payment

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "owner", "other_citizen", "official_here", "official_elsewhere"]
# "200+": the page answers and shows the dossier; "200-": it answers without it (someone's own list).
MATRIX = {
    # endpoint                      anonymous owner   other   official here, official elsewhere
    "GET eservices:submit":         (302, 200, 200, 403, 403),
    "GET eservices:my_dossiers":    (302, "200+", "200-", 403, 403),
    "GET eservices:documents":      (302, "200+", "200-", 403, 403),
    "GET eservices:dossier":        (302, "200+", 404, 403, 403),
    "GET eservices:slip":           (302, 200, 404, 403, 403),
    "GET eservices:result":         (302, 200, 404, 403, 403),
    "GET eservices:document/paper": (302, 200, 404, 403, 403),
    "GET eservices:document/result": (302, 200, 404, 403, 403),
    "POST eservices:supplement":    (302, 400, 404, 403, 403),  # owner: no request pending → 400, nothing moves
    "POST eservices:withdraw":      (302, 400, 404, 403, 403),  # owner: empty reason → 400, nothing moves
    "GET payments:dossier_fee":     (302, "200+", 404, "200+", 404),
    "POST payments:dossier_fee":    (302, 422, 404, 422, 404),  # no fee for a birth registration
    "GET payments:receipt":         (302, 200, 404, 200, 404),
}


@pytest.fixture
def world(client, owner, other_citizen, people, birth, slot_keys, settings, tmp_path):
    """A received dossier with a slip, a signed result, a paid receipt; and every persona."""
    from motcua.signing.pki import ensure_dev_pki
    from motcua.signing.services import issue_signed_result

    settings.MOTCUA_PKI_DIR = str(tmp_path / "pki")
    client.force_login(owner)
    assert submit(client, slot_keys).status_code == 302
    client.logout()
    dossier = Dossier.objects.get(applicant__user=owner)
    dossier_services.transition(dossier.pk, "accept", actor=people.reception, data={"time_limit": [3, "working_day"]})
    slip = slips.issue_slip(Dossier.objects.get(pk=dossier.pk), "receipt", issued_by=people.reception)
    Dossier.objects.filter(pk=dossier.pk).update(result_summary="Đăng ký khai sinh cho trẻ Nguyễn Minh Khang.")
    ensure_dev_pki()
    result = issue_signed_result(Dossier.objects.get(pk=dossier.pk), signer_user=people.approver)
    payment = Payment.objects.create(dossier=dossier, order_id="MC261126TEST01", amount=10000, provider="sandbox",
                                     status=PaymentStatus.PAID, paid_at=timezone.now(), receipt_number="X-2026-1")
    payment.receipt_file.save("bien-lai.pdf", ContentFile(pdf_bytes("Biên lai")), save=True)
    paper = dossier.components.exclude(file="").first()
    dossier.refresh_from_db()
    urls = {
        "GET eservices:submit": reverse("eservices:submit", args=["1.001193"]),
        "GET eservices:my_dossiers": reverse("eservices:my_dossiers"),
        "GET eservices:documents": reverse("eservices:documents"),
        "GET eservices:dossier": reverse("eservices:dossier", args=[dossier.code]),
        "GET eservices:slip": reverse("eservices:slip", args=[dossier.code, slip.pk]),
        "GET eservices:result": reverse("eservices:result", args=[dossier.code, result.pk]),
        "GET eservices:document/paper": reverse("eservices:document", args=[f"giay-to-{paper.pk}"]),
        "GET eservices:document/result": reverse("eservices:document", args=[f"ket-qua-{result.pk}"]),
        "POST eservices:supplement": reverse("eservices:supplement", args=[dossier.code]),
        "POST eservices:withdraw": reverse("eservices:withdraw", args=[dossier.code]),
        "GET payments:dossier_fee": reverse("payments:dossier_fee", args=[dossier.pk]),
        "POST payments:dossier_fee": reverse("payments:dossier_fee", args=[dossier.pk]),
        "GET payments:receipt": reverse("payments:receipt", args=[payment.order_id]),
    }
    users = {"anonymous": None, "owner": owner, "other_citizen": other_citizen,
             "official_here": people.reception, "official_elsewhere": people.outsider}
    return {"dossier": dossier, "urls": urls, "users": users}


def test_the_matrix_covers_every_endpoint_that_shows_or_changes_a_dossier():
    from motcua.eservices.urls import urlpatterns

    covered = {key.split(" ", 1)[1].split("/")[0] for key in MATRIX}
    assert {f"eservices:{p.name}" for p in urlpatterns if p.name != "lookup"} <= covered
    assert {"payments:dossier_fee", "payments:receipt"} <= covered


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_permission_matrix(client, world, endpoint):
    method, _name = endpoint.split(" ", 1)
    url = world["urls"][endpoint]
    dossier = world["dossier"]
    for persona, expected in zip(PERSONAS, MATRIX[endpoint], strict=True):
        client.logout()
        if world["users"][persona] is not None:
            client.force_login(world["users"][persona])
        response = client.post(url, {"reason": ""}) if method == "POST" else client.get(url)
        status = int(str(expected)[:3])
        assert response.status_code == status, (endpoint, persona, response.status_code)
        if status == 302:
            assert response["Location"].startswith(reverse("citizens:login")), (endpoint, persona)
        if str(expected).endswith("+"):
            assert dossier.code in response.content.decode(), (endpoint, persona)
        if str(expected).endswith("-"):
            assert dossier.code not in response.content.decode(), (endpoint, persona)
        if hasattr(response, "streaming_content"):
            # Reading to the end lets the test client close the file (and keep the DB connection).
            assert b"".join(response.streaming_content).startswith((b"%PDF", b"\xff\xd8", b"\x89PNG"))
    # Nobody changed the dossier through any of it.
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
