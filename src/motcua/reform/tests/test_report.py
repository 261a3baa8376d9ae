"""The compliance-cost report on real procedures of the catalogue, with real dossier statistics."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from motcua.catalog.models import Procedure
from motcua.dossiers.services import ComponentInput, submit_online
from motcua.dossiers.tests.factories import APPLICANT, COMMUNE, agency
from motcua.reform import exports, selectors, services
from motcua.reform.models import CostAssessment

FIVE = ["1.001193", "1.000894", "1.004222", "3.000333", "1.001612"]
BUSINESS = "1.001612"  # Đăng ký thành lập hộ kinh doanh: lệ phí 50 000 đ trực tiếp, 150 000 đ trực tuyến


def file_dossiers(code: str, count: int, year: int):
    version = Procedure.objects.get(code=code).current_version
    for i in range(count):
        submit_online(version=version, agency=agency(COMMUNE), applicant=dict(APPLICANT),
                      components=[ComponentInput(name="Giấy đề nghị đăng ký hộ kinh doanh", originals=1)],
                      actor=None, at=timezone.make_aware(datetime.datetime(year, 3, 2 + i, 9, 0)))


@pytest.fixture
def last_year():
    return selectors.last_full_year()


def test_derived_worksheet_of_a_real_procedure(prices, last_year):
    file_dossiers(BUSINESS, 3, last_year)
    file_dossiers(BUSINESS, 1, last_year - 1)  # another year: not counted
    version = Procedure.objects.get(code=BUSINESS).current_version
    derivation = selectors.derive(version)
    assert derivation.channel == "in_person"
    # Two papers common to every case: the application and a copy of the household's authorisation.
    assert [c.name[:40] for c in derivation.components] == [
        "- Giấy đề nghị đăng ký hộ kinh doanh;", "- Bản sao văn bản ủy quyền của thành viê"]
    inputs = derivation.inputs
    assert (inputs.info_hours, inputs.prepare_hours, inputs.travel_hours) == (1, 1, 4)
    assert (inputs.copies, inputs.trips, inputs.fees, inputs.subjects) == (1, 2, 50_000, 3)


def test_report_on_five_real_procedures_with_hand_checked_figures(prices, last_year):
    file_dossiers(BUSINESS, 3, last_year)
    report = services.procedures_report(FIVE, scenario="online", subjects={"1.001193": 1200})
    assert [r.code for r in report.rows] == FIVE
    business = report.rows[-1]
    # Before, in person: 6 h × 4 470 000/176 = 152 386 + 1 copy 2 500 + 2 trips 60 000 + fee 50 000.
    assert business.per_occurrence_before == 264_886
    assert business.before == 264_886 * 3 == 794_658
    # After, fully online: 2.5 h = 63 494 + online fee 150 000 (as the catalogue publishes it).
    assert business.per_occurrence_after == 213_494
    assert business.after == 640_482
    assert business.saving == 154_176
    assert business.rate == Decimal("19.40")
    birth = report.rows[0]
    assert birth.subjects == 1200 and birth.before > birth.after > 0
    assert report.before == sum(r.before for r in report.rows)
    assert report.saving == report.before - report.after
    # Procedures with no dossier and no estimate cost nothing a year, and say so.
    assert report.rows[2].subjects == 0 and report.rows[2].before == 0 and report.rows[2].rate is None


def test_unknown_code_is_named(db):
    from motcua.reform.errors import ReformInputError

    with pytest.raises(ReformInputError) as caught:
        services.procedures_report(["1.001193", "9.999999"])
    assert "9.999999" in caught.value.errors["procedures"]


def test_command_writes_an_xlsx_that_opens(prices, last_year, tmp_path, capsys):
    file_dossiers(BUSINESS, 3, last_year)
    out = tmp_path / "bao-cao.xlsx"
    call_command("reform", "report", "--procedures", ",".join(FIVE), "--scenario", "online",
                 "--subjects", "1.001193=1200", "--xlsx", str(out), "--csv", str(tmp_path / "bao-cao.csv"))
    printed = capsys.readouterr().out
    assert "1.001612" in printed and "794.658" in printed and "19.40%" in printed
    sheet = load_workbook(out).active
    assert sheet["A2"].value == "Mã thủ tục"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [*FIVE, "Tổng cộng"]
    business = rows[4]
    assert business[4:10] == (3, 264_886, 213_494, 794_658, 640_482, 154_176)
    assert business[10] == pytest.approx(19.40)
    assert rows[-1][7] == sum(r[7] for r in rows[:-1])
    csv_text = (tmp_path / "bao-cao.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("\ufeffMã thủ tục") and "1.001612" in csv_text


def test_plan_before_after_and_totals(prices, last_year, django_user_model):
    file_dossiers(BUSINESS, 3, last_year)
    actor = django_user_model.objects.create_user("kstt")
    plan = services.create_plan(name="Phương án đơn giản hóa 2026", year=last_year + 1, actor=actor)
    business = Procedure.objects.get(code=BUSINESS)
    version = business.current_version
    copy = [c for c in selectors.counted_components(version) if c.copies][0]
    # Cut the authorisation copy and abolish the fee, keep the counter.
    services.add_to_plan(plan, business, actor=actor, changes=services.Changes(removed_components=(copy.pk,),
                                                                               new_fee=0))
    services.add_to_plan(plan, Procedure.objects.get(code="1.004222"), actor=actor,
                         changes=services.Changes(online="full"), overrides={"subjects": "100"},
                         notes={"subjects": "Ước tính của Công an xã năm trước"})
    report = selectors.plan_report(plan)
    first = report.rows[0]
    assert first.code == BUSINESS
    # 5.5 h = 139 688 + 60 000 travel, no copy, no fee.
    assert (first.per_occurrence_before, first.per_occurrence_after) == (264_886, 199_688)
    assert first.after == 599_064
    residence = report.rows[1]
    assert residence.subjects == 100
    # In person 5.5 h = 139 688 + 60 000 + 20 000 fee; online 2 h = 50 795 + 10 000 online fee.
    assert (residence.per_occurrence_before, residence.per_occurrence_after) == (219_688, 60_795)
    assert report.before == 794_658 + 21_968_800
    assert report.after == 599_064 + 6_079_500
    assert report.rate == Decimal(report.saving * 100 / report.before).quantize(Decimal("0.01"))
    assert CostAssessment.objects.filter(version=version).count() == 2
    data = load_workbook(BytesIO(exports.to_xlsx(report))).active
    assert data.cell(row=5, column=1).value == "Tổng cộng"
