from datetime import datetime

import pytest
from django.contrib.auth import get_user_model

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.feedback import services
from motcua.units.models import Agency
from motcua.workdays.calendar import VN_TZ


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def agencies(db):
    a, b = Agency.objects.filter(level="province", valid_to__isnull=True).order_by("pk")[:2]
    return a, b


@pytest.fixture
def people(agencies):
    user_model = get_user_model()
    a, b = agencies

    def official(name, agency, role):
        user = user_model.objects.create_user(name, password="x")
        StaffMembership.objects.create(user=user, agency=agency, role=role)
        return user

    return {
        "specialist": official("cv-a", a, Role.SPECIALIST),
        "moderator": official("ld-a", a, Role.APPROVER),
        "other_official": official("cv-b", b, Role.SPECIALIST),
        "official_b_leader": official("ld-b", b, Role.APPROVER),
        "citizen": user_model.objects.create_user("dan@example.vn", email="dan@example.vn", password="x"),
        "other_citizen": user_model.objects.create_user("khac@example.vn", email="khac@example.vn", password="x"),
    }


def make_submission(agency, **overrides):
    values = dict(
        kind="report", category="regulation", title="Thời hạn giải quyết quá dài",
        content="Tôi nộp hồ sơ cấp đổi giấy phép lái xe nhưng thời gian giải quyết quá dài so với quy định.",
        agency=agency, submitter_name="Nguyễn Văn An", submitter_email="an.nguyen@example.vn",
        submitter_phone="0912345678", submitter_address="Số 12 ngõ 34 phố Huế",
    )
    values.update(overrides)
    return services.Submission(**values)


@pytest.fixture
def submit(agencies):
    def _submit(at=None, user=None, **overrides):
        return services.submit(make_submission(agencies[0], **overrides), user=user, at=at)
    return _submit
