"""`motcua setup` loads everything once; a second run changes nothing."""

import io
import subprocess
import sys

import pytest
from django.apps import apps
from django.core.management import call_command

from motcua.conf import ImproperlyConfiguredEnvError, env_bool, env_int


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"units", "catalog", "workdays"}
    }


@pytest.mark.django_db
def test_setup_twice_changes_nothing():
    before = _row_counts()
    assert before["catalog.Procedure"] == 2849
    out = io.StringIO()
    call_command("setup", stdout=out)
    assert _row_counts() == before
    text = out.getvalue()
    assert "phiên bản mới: 0" in text
    assert "không đổi: 2849" in text


def test_the_console_script_runs_django_commands():
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "catalog", "import", "/nonexistent/file.jsonl"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "Không tìm thấy tệp: /nonexistent/file.jsonl" in result.stderr


def test_env_readers_name_the_variable_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("MOTCUA_X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfiguredEnvError, match="MOTCUA_X_FLAG"):
        env_bool("MOTCUA_X_FLAG")
    monkeypatch.setenv("MOTCUA_X_INT", "ten")
    with pytest.raises(ImproperlyConfiguredEnvError, match="MOTCUA_X_INT"):
        env_int("MOTCUA_X_INT", 1)
    monkeypatch.setenv("MOTCUA_X_FLAG", "on")
    assert env_bool("MOTCUA_X_FLAG") is True


@pytest.mark.django_db
def test_the_demo_officials_can_log_in_and_the_demo_workflow_crosses_two_agencies():
    from django.contrib.auth import authenticate

    from motcua.dossiers.demo import DEMO_PASSWORD, create_demo
    from motcua.dossiers.models import WorkflowTemplate

    create_demo()
    create_demo()  # idempotent
    assert authenticate(username="tiepnhan", password=DEMO_PASSWORD) is not None
    assert authenticate(username="bhxh", password=DEMO_PASSWORD).memberships.get().agency.organ_code == "000.00.80.G24"
    workflow = WorkflowTemplate.objects.get(procedure__code="1.001193", agency__isnull=True)
    assert workflow.steps.filter(agency__organ_code="000.00.80.G24").count() == 1
