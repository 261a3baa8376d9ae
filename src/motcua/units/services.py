"""Writes of the units context: loading the official unit lists and agencies."""

from django.utils.text import slugify

from motcua.lib.text import fold
from motcua.units.choices import AgencyLevel
from motcua.units.models import Agency


def agency_slug(name: str, organ_code: str | None = None) -> str:
    base = slugify(fold(name))[:90] or "co-quan"
    return f"{base}-{organ_code.replace('.', '-').lower()}" if organ_code else base


def ensure_agency(name: str, *, level: str = AgencyLevel.OTHER, organ_code: str | None = None,
                  source: str = "") -> Agency:
    """The agency with this organ code, or else with this exact (folded) name; created when missing."""
    if organ_code:
        agency = Agency.objects.filter(organ_code=organ_code).first()
        if agency:
            return agency
    agency = Agency.objects.filter(name_folded=fold(name), organ_code__isnull=organ_code is None).first()
    if agency:
        return agency
    agency = Agency(name=name, level=level, organ_code=organ_code, slug=agency_slug(name, organ_code),
                    source=source)
    agency.full_clean(validate_unique=False)
    agency.save()
    return agency
