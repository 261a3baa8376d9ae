"""Agencies: the organ-code list, the central bodies and their 2025 mergers, name resolution."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import SearchDocument
from motcua.units.choices import AgencyLevel, Edition, UnitLevel
from motcua.units.loading import load_agencies
from motcua.units.models import Agency
from motcua.units.services import ensure_agency, ensure_central_agency
from motcua.units.sources import CentralAgencyRecord

pytestmark = pytest.mark.django_db

# The catalogue's issuing agencies, exactly as its sources write them, and the body each one means.
CATALOGUE_ISSUERS = {
    "Bộ Tài chính": ("000.00.00.G12", "Bộ Tài chính"),
    "Bộ Nông nghiệp và Môi trường": (None, "Bộ Nông nghiệp và Môi trường"),
    "Bộ xây dựng (Giao thông vận tải cũ)": ("000.00.00.G17", "Bộ Xây dựng"),
    "Bộ Xây dựng": ("000.00.00.G17", "Bộ Xây dựng"),
    "Bộ Công an": ("000.00.00.G01", "Bộ Công an"),
    "Bộ Tư pháp": ("000.00.00.G15", "Bộ Tư pháp"),
    "Ngân hàng Nhà nước Việt Nam": ("000.00.00.G19", "Ngân hàng Nhà nước Việt Nam"),
    "Tòa án nhân dân": (None, "Tòa án nhân dân tối cao"),
    "Bộ Quốc phòng": ("000.00.00.G11", "Bộ Quốc phòng"),
}


@pytest.mark.parametrize("name", CATALOGUE_ISSUERS)
def test_every_catalogue_issuer_resolves_to_its_ministry_without_creating_one(name):
    before = Agency.objects.count()
    agency = ensure_agency(name, level=AgencyLevel.MINISTRY, source="catalogue")
    assert (agency.organ_code, agency.name) == CATALOGUE_ISSUERS[name]
    assert agency.level == AgencyLevel.MINISTRY
    assert Agency.objects.count() == before


def test_the_imported_catalogue_points_to_the_resolved_ministries():
    issuers = set(SearchDocument.objects.values_list("issuing_agency__name", flat=True))
    assert issuers == {official for _code, official in CATALOGUE_ISSUERS.values()}
    construction = SearchDocument.objects.filter(issuing_agency__organ_code="000.00.00.G17").count()
    assert construction == 491 + 35  # "Bộ xây dựng (Giao thông vận tải cũ)" and "Bộ Xây dựng"
    assert not Agency.objects.filter(name_folded__contains="giao thong van tai cu").exists()


def test_ensure_agency_accepts_any_spelling_and_invisible_characters():
    assert ensure_agency("bộ tư pháp").organ_code == "000.00.00.G15"
    assert ensure_agency("BO TU PHAP").organ_code == "000.00.00.G15"
    assert ensure_agency("Bộ\u200b Tư  pháp ").organ_code == "000.00.00.G15"


def test_ensure_agency_refuses_a_malformed_code_in_vietnamese():
    with pytest.raises(ValidationError, match="Mã định danh cơ quan"):
        ensure_agency("Cơ quan thử", organ_code="000.00.00.g99")


def test_a_generic_local_name_never_resolves_to_tay_ninhs_department():
    tay_ninh_justice = Agency.objects.get(organ_code="000.00.14.H53")
    assert tay_ninh_justice.name == "Sở Tư pháp"
    generic = ensure_agency("Sở Tư pháp")
    assert generic != tay_ninh_justice
    assert generic.unit is None and generic.organ_code is None
    assert ensure_agency("Sở Tư pháp") == generic  # and a second call finds the first


def test_the_2025_ministry_mergers_close_the_old_bodies_and_link_their_successor():
    merged = Agency.objects.get(slug="bo-nong-nghiep-va-moi-truong")
    assert merged.organ_code is None
    assert merged.valid_from == date(2025, 3, 1)
    assert sorted(merged.predecessors.values_list("organ_code", flat=True)) == ["000.00.00.G10", "000.00.00.G13"]
    transport = Agency.objects.get(organ_code="000.00.00.G04")
    assert transport.valid_to == date(2025, 2, 28)
    assert transport.successor.organ_code == "000.00.00.G17"
    assert Agency.objects.get(organ_code="000.00.00.G17").valid_to is None
    assert Agency.objects.get(organ_code="000.00.00.G14").successor.name == "Bộ Khoa học và Công nghệ"


def test_ministries_use_their_official_names_not_the_lists_spelling():
    assert Agency.objects.get(organ_code="000.00.00.G18").name == "Bộ Y tế"  # the list: "Bộ Y Tế "
    assert Agency.objects.get(organ_code="000.00.00.G15").name == "Bộ Tư pháp"  # the list: "Bộ Tư Pháp"
    assert Agency.objects.filter(level=AgencyLevel.MINISTRY, organ_code__startswith="000.00.00.G").count() == 25


def test_parents_follow_the_code_hierarchy():
    commune = Agency.objects.select_related("parent__parent").get(organ_code="000.21.31.H53")
    assert commune.name == "UBND Xã An Thạnh huyện Bến Cầu"  # the list has a zero-width space here
    assert commune.parent.organ_code == "000.00.31.H53"
    assert commune.parent.name == "UBND huyện Bến Cầu"
    assert commune.parent.parent.organ_code == "000.00.00.H53"
    assert Agency.objects.get(organ_code="000.01.28.G14").parent.organ_code == "000.00.28.G14"
    assert Agency.objects.get(organ_code="000.00.00.H53").parent is None


def test_levels_and_served_units_of_tay_ninhs_agencies():
    province = Agency.objects.select_related("unit").get(organ_code="000.00.00.H53")
    assert province.level == AgencyLevel.PROVINCE
    assert (province.unit.edition, province.unit.code, province.unit.name) == (Edition.PRE_2025, "72", "Tỉnh Tây Ninh")
    district = Agency.objects.select_related("unit").get(organ_code="000.00.31.H53")
    assert district.level == AgencyLevel.DISTRICT
    assert (district.unit.level, district.unit.name) == (UnitLevel.DISTRICT, "Huyện Bến Cầu")
    commune = Agency.objects.select_related("unit").get(organ_code="000.21.31.H53")
    assert commune.level == AgencyLevel.COMMUNE
    assert (commune.unit.code, commune.unit.name) == ("25705", "Xã An Thạnh")
    department = Agency.objects.select_related("unit").get(organ_code="000.00.14.H53")
    assert department.level == AgencyLevel.OTHER and department.unit.code == "72"
    assert department.valid_to is None  # what became of a department is not in the data
    assert district.valid_to == commune.valid_to == province.valid_to == date(2025, 6, 30)


def test_the_non_standard_code_is_kept_as_a_body_without_a_code():
    agency = Agency.objects.get(slug="phong-y-te-huyen-tan-chau")
    assert agency.organ_code is None
    assert "000.1137.H53" in agency.source
    assert agency.parent.organ_code == "000.00.00.H53"
    assert not Agency.objects.filter(organ_code="000.1137.H53").exists()


def test_every_current_province_has_a_peoples_committee_and_no_invented_code():
    committees = Agency.objects.filter(level=AgencyLevel.PROVINCE, unit__edition=Edition.CURRENT)
    assert committees.count() == 34
    assert not committees.filter(organ_code__isnull=False).exists()
    tay_ninh = committees.get(unit__code="80")
    assert tay_ninh.name == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert tay_ninh.valid_from == date(2025, 7, 1)  # Long An merged into it
    assert committees.get(unit__code="01").name == "Ủy ban nhân dân thành phố Hà Nội"
    assert committees.get(unit__code="01").valid_from is None  # Hà Nội was not merged
    old = Agency.objects.get(organ_code="000.00.00.H53")
    assert old.successor == tay_ninh


def test_a_ministry_stored_without_its_code_is_completed_not_duplicated():
    voice = Agency.objects.get(organ_code="000.00.00.G27")
    Agency.objects.filter(pk=voice.pk).update(organ_code=None)  # as an older import would have left it
    counts = load_agencies()
    voice.refresh_from_db()
    assert voice.organ_code == "000.00.00.G27"
    assert (counts["mới thêm"], counts["đã cập nhật"]) == (0, 1)
    assert Agency.objects.filter(name="Đài Tiếng nói Việt Nam").count() == 1


def test_ensure_agency_gives_a_known_code_to_an_agency_created_earlier_by_name():
    record = CentralAgencyRecord(key="G99", organ_code="000.00.00.G99", name="Cơ quan thử nghiệm",
                                 valid_from=None, valid_to=None, successor_key=None, aliases=(), legal_basis="")
    earlier = ensure_agency("Cơ quan thử nghiệm")
    assert earlier.organ_code is None
    completed = ensure_central_agency(record)
    assert completed.pk == earlier.pk
    assert completed.organ_code == "000.00.00.G99" and completed.level == AgencyLevel.MINISTRY
