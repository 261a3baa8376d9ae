"""A step at another agency (liên thông): BHXH tỉnh Tây Ninh completes it from its own back office."""

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition

from .conftest import action_data

pytestmark = pytest.mark.django_db


def test_the_other_agency_sees_the_step_in_mine_completes_it_and_the_commune_continues(
        as_user, people, interagency_workflow, dossier):
    transition(dossier.pk, "forward", actor=people.reception)
    transition(dossier.pk, "complete_step", actor=people.specialist)
    insurance = as_user(people.insurance)
    queue = insurance.get(reverse("backoffice:queue")).content.decode()
    assert dossier.code in queue
    assert "Liên thông" in queue and "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi" in queue

    page = insurance.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Chờ thực hiện liên thông" in page
    assert "Hoàn thành bước “Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi”" in page
    assert "In Mẫu 01" not in page and "In Mẫu 05" in page  # only the control sheet travels to BHXH
    assert "072190001234" not in page  # the identity number is masked outside the counter

    # The commune's specialist may see the dossier but not do the insurance step.
    commune = as_user(people.specialist)
    assert dossier.code not in commune.get(reverse("backoffice:queue")).content.decode()
    dossier.refresh_from_db()
    forged = commune.post(reverse("backoffice:dossier_action", args=[dossier.pk, "complete_step"]),
                          action_data(dossier, "complete_step"))
    assert forged.status_code == 403

    insurance = as_user(people.insurance)
    done = insurance.post(reverse("backoffice:dossier_action", args=[dossier.pk, "complete_step"]),
                          action_data(dossier, "complete_step", outcome="Đã cấp thẻ BHYT"))
    assert done.status_code == 302
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.stage == "in_step" and dossier.current_step.kind == "approval"
    assert dossier.code not in insurance.get(reverse("backoffice:queue")).content.decode()
    assert dossier.code in insurance.get(reverse("backoffice:queue"), {"hang-doi": "tat-ca"}).content.decode()
    assert dossier.code in as_user(people.approver).get(reverse("backoffice:queue")).content.decode()
    page = as_user(people.approver).get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Đã cấp thẻ BHYT" in page and "Bảo hiểm xã hội tỉnh Tây Ninh" in page


def test_an_agency_without_a_step_still_sees_nothing(as_user, people, interagency_workflow, dossier):
    transition(dossier.pk, "forward", actor=people.reception)
    transition(dossier.pk, "complete_step", actor=people.specialist)
    outsider = as_user(people.outsider)
    assert outsider.get(reverse("backoffice:dossier", args=[dossier.pk])).status_code == 404
    assert dossier.code not in outsider.get(reverse("backoffice:queue"), {"hang-doi": "tat-ca"}).content.decode()
