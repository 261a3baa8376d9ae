"""The applicant's folded name, which the queue search compares (dossiers.selectors.search_condition)."""

import importlib

import pytest
from django.apps import apps

from motcua.dossiers.models import Applicant

pytestmark = pytest.mark.django_db


def test_saving_an_applicant_folds_its_name_even_when_only_the_name_is_saved():
    applicant = Applicant.objects.create(full_name="Đặng Thị Thúy")
    assert Applicant.objects.get(pk=applicant.pk).name_folded == "dang thi thuy"
    applicant.full_name = "Công ty TNHH Lúa & Gạo"
    applicant.save(update_fields=["full_name"])
    assert Applicant.objects.get(pk=applicant.pk).name_folded == "cong ti tnhh lua gao"  # y/i unified, as lib.text.fold does


def test_the_migration_folds_the_names_already_there_in_batches(monkeypatch):
    migration = importlib.import_module("motcua.dossiers.migrations.0005_applicant_name_folded")
    monkeypatch.setattr(migration, "BATCH", 2)
    made = [Applicant.objects.create(full_name=name) for name in ("Nguyễn Văn An", "Lê THỊ Bích", "Trương Đức")]
    Applicant.objects.update(name_folded="")  # as the rows were before the migration added the column
    migration.fold_names(apps, None)
    assert [Applicant.objects.get(pk=a.pk).name_folded for a in made] == ["nguyen van an", "le thi bich",
                                                                          "truong duc"]
