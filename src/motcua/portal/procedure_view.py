"""What the procedure page shows of one version: its parts in reading order, and the raw text of the
parts the importer could not give structure to yet (nothing of the published text may go missing).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.catalog.choices import AgencyRole, Level, VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.portal.forms import SLUG_OF_LEVEL
from motcua.portal.presenters import ONLINE_BADGES

# The order in which a citizen needs the agencies: who decides, who receives, who helps.
ROLE_ORDER = [
    AgencyRole.COMPETENT, AgencyRole.IMPLEMENTING, AgencyRole.AUTHORIZED, AgencyRole.COORDINATING,
    AgencyRole.ISSUING,
]

# Sections of the page, with the anchor used by the table of contents (Vietnamese, readable in a URL).
SECTIONS = [
    ("thong-tin-chung", _("Thông tin chung")),
    ("co-quan", pgettext_lazy("procedure section", "Cơ quan")),
    ("trinh-tu-thuc-hien", _("Trình tự thực hiện")),
    ("cach-thuc-thuc-hien", _("Cách thức thực hiện")),
    ("thanh-phan-ho-so", _("Thành phần hồ sơ")),
    ("yeu-cau-dieu-kien", _("Yêu cầu, điều kiện")),
    ("ket-qua", _("Kết quả thực hiện")),
    ("can-cu-phap-ly", _("Căn cứ pháp lý")),
    ("lich-su-phien-ban", _("Lịch sử phiên bản")),
]


@dataclass
class ComponentGroup:
    case: str
    components: list


def _component_groups(components) -> list[ComponentGroup]:
    """Components grouped by case (trường hợp), cases in the order the source first names them."""
    groups: dict[str, ComponentGroup] = {}
    for component in components:
        groups.setdefault(component.case, ComponentGroup(component.case, [])).components.append(component)
    return list(groups.values())


def _agency_groups(agencies) -> list[tuple[str, list]]:
    by_role: dict[str, list] = {}
    for agency in agencies:
        by_role.setdefault(agency.role, []).append(agency)
    return [(AgencyRole(role).label, by_role[role]) for role in ROLE_ORDER if role in by_role]


def _raw(version: ProcedureVersion, key: str) -> str:
    value = (version.unparsed or {}).get(key, "")
    return value if isinstance(value, str) else ""


def _source_url(version: ProcedureVersion) -> str:
    url = (version.source_record or {}).get("detail_url", "")
    # Only link to a public web page, never to whatever scheme a source file happens to contain.
    return url if isinstance(url, str) and url.startswith("https://") else ""


def procedure_page(procedure: Procedure, version: ProcedureVersion) -> dict:
    """The template context of /thu-tuc/<code>/ (current version) or …/phien-ban/<n>/ (any version).

    Everything comes from objects the selectors prefetched: no query runs from here or the template.
    """
    steps = list(version.steps.all())
    channels = list(version.channels.all())
    components = list(version.components.all())
    legal_bases = list(version.legal_bases.all())
    results = [r for r in (version.results or []) if isinstance(r, dict) and r.get("name")]
    return {
        "procedure": procedure,
        "version": version,
        "is_current": version.pk == procedure.current_version_id,
        "is_abolished": version.status == VersionStatus.ABOLISHED,
        "versions": list(procedure.versions.all()),
        "levels": [(SLUG_OF_LEVEL.get(level), Level(level).label) for level in version.levels if level in Level.values],
        "online_badge": ONLINE_BADGES.get(version.online_service),
        "agency_groups": _agency_groups(version.agencies.all()),
        "steps": steps,
        "steps_raw": "" if steps else version.steps_text,
        "channels": channels,
        "channels_raw": "" if channels else _raw(version, "channels"),
        "component_groups": _component_groups(components),
        "components_raw": "" if components else _raw(version, "components"),
        "legal_bases": legal_bases,
        "legal_basis_raw": "" if legal_bases else _raw(version, "legal_basis"),
        "results": results,
        "results_raw": "" if results else _raw(version, "results"),
        "requirements_raw": _raw(version, "requirements"),
        "source_url": _source_url(version),
        "sections": SECTIONS,
    }
