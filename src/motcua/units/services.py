"""Writes of the units context: agencies the rest of motcua names, and the rules that resolve them."""

from django.utils.text import slugify

from motcua.lib.text import fold, strip_marks
from motcua.units.choices import AgencyLevel
from motcua.units.codes import parse_organ_code
from motcua.units.models import Agency
from motcua.units.sources import (
    CENTRAL_AGENCIES_FILE,
    CentralAgencyRecord,
    central_agency_by_name,
    clean_text,
)

CENTRAL_SOURCE = CENTRAL_AGENCIES_FILE.name


def agency_slug(name: str, organ_code: str | None = None) -> str:
    # strip_marks, not fold: fold spells "lý"/"ty" as "li"/"ti" for search, which reads wrong in a URL.
    base = slugify(strip_marks(clean_text(name)))[:90].strip("-") or "co-quan"
    return f"{base}-{organ_code.replace('.', '-').lower()}" if organ_code else base


def unique_agency_slug(base: str, *, taken: set[str] | None = None) -> str:
    """`base`, or `base-2`, `base-3`… when another agency already has it."""
    taken = taken if taken is not None else set(
        Agency.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def resolve_central_agency(name: str) -> CentralAgencyRecord | None:
    """The central body a name means, through its official name or an alias (case and marks ignored).

    'Bộ xây dựng (Giao thông vận tải cũ)', the catalogue's name for the transport procedures now
    under the Ministry of Construction, resolves to Bộ Xây dựng (000.00.00.G17).
    """
    return central_agency_by_name().get(fold(clean_text(name)))


def central_agency_fields(record: CentralAgencyRecord) -> dict:
    """What a central body's row says; shared by `load_agencies` and `ensure_agency` so both agree."""
    source = CENTRAL_SOURCE + (f"; {record.legal_basis}" if record.legal_basis else "")
    return {
        "name": record.name,
        "level": AgencyLevel.MINISTRY,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "source": source[:200],
        "unit": None,
    }


def find_central_agency(record: CentralAgencyRecord) -> Agency | None:
    if record.organ_code:
        return Agency.objects.filter(organ_code=record.organ_code).first()
    return Agency.objects.filter(slug=agency_slug(record.name)).first()


def ensure_central_agency(record: CentralAgencyRecord) -> Agency:
    """The row of a central body, created from the curated table when missing.

    An agency an older import created under the same name but without a code is completed (given
    the code) rather than duplicated, so what already points to it keeps pointing to the right body.
    """
    agency = find_central_agency(record)
    if agency is not None:
        return agency
    fields = central_agency_fields(record)
    if record.organ_code:
        folded = {fold(n) for n in record.names}
        orphan = Agency.objects.filter(organ_code__isnull=True, unit__isnull=True, name_folded__in=folded).first()
        if orphan is not None:
            for key, value in fields.items():
                setattr(orphan, key, value)
            orphan.organ_code = record.organ_code
            orphan.save()
            return orphan
    agency = Agency(organ_code=record.organ_code, **fields)
    agency.slug = unique_agency_slug(agency_slug(record.name, record.organ_code))
    agency.full_clean(validate_unique=False)
    agency.save()
    return agency


def ensure_agency(name: str, *, level: str = AgencyLevel.OTHER, organ_code: str | None = None,
                  source: str = "") -> Agency:
    """The agency a name (or organ code) means; created when missing.

    Order: the organ code when given; then the curated table of central bodies and their aliases
    (data/motcua_central_agencies.csv); then a national body (one not tied to a unit) with the same
    folded name, preferring one still in force. Local bodies share generic names ("Sở Tư pháp"
    exists in every province), so a name alone never resolves to one of them.
    """
    name = clean_text(name)
    if organ_code:
        organ_code = str(parse_organ_code(organ_code))  # a clear Vietnamese error when malformed
        agency = Agency.objects.filter(organ_code=organ_code).first()
        if agency is not None:
            return agency
    else:
        record = resolve_central_agency(name)
        if record is not None:
            return ensure_central_agency(record)
        agency = _prefer_in_force(Agency.objects.filter(name_folded=fold(name), unit__isnull=True))
        if agency is not None:
            return agency
    agency = Agency(name=name, level=level, organ_code=organ_code, source=source[:200])
    agency.slug = unique_agency_slug(agency_slug(name, organ_code))
    agency.full_clean(validate_unique=False)
    agency.save()
    return agency


def _prefer_in_force(queryset) -> Agency | None:
    """The first agency still in force, else the first closed one (NULL ordering differs by backend)."""
    return queryset.filter(valid_to__isnull=True).order_by("pk").first() or queryset.order_by("pk").first()
