"""A PAKN about a dossier (indicator 5.4), the admin pages, constant queries on the queue."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers.tests.factories import APPLICANT, Personas, receive
from motcua.feedback import selectors, services
from motcua.feedback.errors import InvalidInputError
from motcua.feedback.tests.conftest import make_submission

pytestmark = pytest.mark.django_db


def test_a_pakn_about_a_dossier_needs_the_applicants_contact(agencies):
    dossier = receive(Personas())
    with pytest.raises(InvalidInputError) as error:
        services.submit(make_submission(agencies[0], dossier_code=dossier.code, submitter_email="",
                                        submitter_phone="0900000000"))
    assert error.value.errors == {
        "dossier_code": "Không tìm thấy hồ sơ có mã này với thư điện tử hoặc số điện thoại đã nhập."}
    case = services.submit(make_submission(dossier.receiving_agency, dossier_code=dossier.code,
                                           submitter_email="", submitter_phone=APPLICANT["phone"]))
    assert case.dossier == dossier
    assert case.procedure == dossier.procedure_version.procedure
    fact = selectors.case_fact(case.pk)
    assert fact.dossier_id == dossier.pk and fact.procedure_id == case.procedure_id


def test_admin_pages(client):
    admin = User.objects.create_superuser("quantri", "qt@example.vn", "x")
    client.force_login(admin)
    for name in ("admin:feedback_feedbacklimit_changelist", "admin:feedback_feedbacklimit_add",
                 "admin:feedback_feedbackcase_changelist"):
        assert client.get(reverse(name)).status_code == 200, name
    html = client.get(reverse("admin:feedback_feedbacklimit_changelist")).content.decode()
    assert "Quyết định 766/QĐ-TTg" in html


def test_queue_reads_a_constant_number_of_queries(client, submit, people):
    client.force_login(people["specialist"])
    submit()
    client.get(reverse("feedback:office_queue"))  # warm the calendar cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("feedback:office_queue"))
    for _ in range(15):
        submit()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("feedback:office_queue"))
    assert len(response.context["rows"]) == 16
    assert len(many) == len(few)
