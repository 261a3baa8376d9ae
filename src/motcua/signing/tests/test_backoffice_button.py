"""The approver's "Ký số kết quả" button in the back office: only the approver sees and uses it."""

from django.urls import reverse

from motcua.signing.models import SignedResult
from motcua.signing.verification import verify_pdf


def test_the_approver_signs_the_result_from_the_dossier_page(client, dossier, people, dev_pki, media):
    page = reverse("backoffice:dossier", args=[dossier.pk])
    client.force_login(people.approver)
    assert "Ký số kết quả" in client.get(page).content.decode()

    response = client.post(reverse("backoffice:result_sign", args=[dossier.pk]))

    assert response.status_code == 302
    result = SignedResult.objects.get(dossier=dossier)
    with result.file.open("rb") as handle:
        assert verify_pdf(handle.read()).valid
    shown = client.get(page).content.decode()
    assert f'id="ket-qua-{result.pk}"' in shown


def test_a_reception_officer_has_no_button_and_cannot_sign(client, dossier, people, dev_pki, media):
    client.force_login(people.reception)
    assert "Ký số kết quả</button>" not in client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()

    response = client.post(reverse("backoffice:result_sign", args=[dossier.pk]))

    assert response.status_code == 403
    assert "Chỉ lãnh đạo phê duyệt" in response.content.decode()
    assert not SignedResult.objects.filter(dossier=dossier).exists()
