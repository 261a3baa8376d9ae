"""A procedure version as an EU CPSV-AP 3.2.0 public service, in JSON-LD.

`version_to_cpsv()` is a pure function of a version loaded by `catalog.selectors.version_queryset()`
(or `get_procedure(code).current`): it reads only what that prefetch loaded, so exporting never
adds queries, and it needs no network (the JSON-LD context is embedded, see `CONTEXT`).

The mapping (docs/api.md has it as a table):

- the procedure version → `cpsv:PublicService` (identifier = procedure code; name, description in "vi");
- competent agencies (else implementing, authorised, issuing, in that order) → `cv:hasCompetentAuthority`
  → `cv:PublicOrganisation`; every other agency role → `cv:hasParticipation` → `cv:Participation`;
- each channel (cách thức thực hiện) → `cv:Channel` with `dct:type` and `cv:processingTime`;
- each fee of a channel → `cv:Cost` (value, currency VND, description, `cv:ifAccessedThrough` the channel);
- each dossier component → `cv:Evidence` (`cpsv:hasInput`); each result → `cv:Output` (`cpsv:produces`);
- each legal basis → `eli:LegalResource` (`cv:hasLegalResource`) and a `cpsv:Rule` implementing it
  (`cpsv:follows`); requirements and conditions → `cv:Requirement` (`cv:holdsRequirement`);
- domain (lĩnh vực) → `cv:sector`; levels, procedure type → `cv:isClassifiedBy`; target groups →
  `dct:audience`; status → `adms:status`; jurisdiction → `dct:spatial` Viet Nam.

Time limits: ISO 8601 / xsd:duration has no "working day". A limit in working days (ngày làm việc)
is exported as that many days (`P15D`) and the channel's description says, in Vietnamese and
English, that the count is in working days; working hours likewise as hours (`PT8H`). Converting
to calendar days would need the holiday calendar of the filing date, which a catalogue entry does
not have. The time limit as published stays in the description too.
"""

from collections.abc import Callable
from decimal import Decimal

from motcua.catalog.choices import (
    AgencyRole,
    ChannelKind,
    FeeKind,
    Level,
    TimeUnit,
    VersionStatus,
)

CPSV_AP_VERSION = "3.2.0"

# Self-contained: the namespaces and the datatypes of the properties we emit, taken from the
# CPSV-AP 3.2.0 context and vocabularies. No remote context, so consumers expand it offline.
CONTEXT = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "adms": "http://www.w3.org/ns/adms#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "cv:processingTime": {"@type": "xsd:duration"},
    "cv:hasValue": {"@type": "xsd:double"},
    "cv:currency": {"@type": "@id"},
    "adms:status": {"@type": "@id"},
    "dct:language": {"@type": "@id"},
    "dct:spatial": {"@type": "@id"},
    "eli:date_document": {"@type": "xsd:date"},
    "eli:first_date_entry_in_force": {"@type": "xsd:date"},
    "dct:issued": {"@type": "xsd:date"},
}

EU_AUTHORITY = "http://publications.europa.eu/resource/authority"
CURRENCY_VND = f"{EU_AUTHORITY}/currency/VND"
LANGUAGE_VI = f"{EU_AUTHORITY}/language/VIE"
COUNTRY_VN = f"{EU_AUTHORITY}/country/VNM"
ADMS_STATUS = {
    VersionStatus.PUBLISHED: "http://purl.org/adms/status/Completed",
    VersionStatus.SUPERSEDED: "http://purl.org/adms/status/Deprecated",
    VersionStatus.ABOLISHED: "http://purl.org/adms/status/Withdrawn",
}
# Order in which agency roles stand in for the competent authority when the source names none:
# CPSV-AP makes hasCompetentAuthority mandatory and many records only name the implementing body.
COMPETENT_FALLBACK = [AgencyRole.COMPETENT, AgencyRole.IMPLEMENTING, AgencyRole.AUTHORIZED, AgencyRole.ISSUING]

_WORKING_NOTE = {
    TimeUnit.WORKING_DAY: "Thời hạn tính theo ngày làm việc. / The processing time counts working days.",
    TimeUnit.WORKING_HOUR: "Thời hạn tính theo giờ làm việc. / The processing time counts working hours.",
}


def _vi(text: str) -> dict:
    return {"@language": "vi", "@value": text}


def _concept(scheme: str, notation: str, label: str) -> dict:
    """A code of one of our value lists, as an inline SKOS concept (no dereferenceable URI yet)."""
    return {
        "@type": "skos:Concept",
        "skos:notation": notation,
        "skos:prefLabel": _vi(label),
        "skos:inScheme": {"@type": "skos:ConceptScheme", "skos:prefLabel": _vi(scheme)},
    }


def iso_duration(value: Decimal | float | int | None, unit: str) -> str | None:
    """An xsd:duration for a time limit; working days/hours count as days/hours (see module doc).

    xsd:duration allows a fraction only in the seconds, so 0.5 day is written PT12H.
    """
    if value is None or not unit:
        return None
    value = Decimal(value)
    if value <= 0:
        return None
    if unit == TimeUnit.MONTH:
        return f"P{int(value)}M" if value == value.to_integral() else f"P{int(value * 30)}D"
    if unit in (TimeUnit.DAY, TimeUnit.WORKING_DAY):
        if value == value.to_integral():
            return f"P{int(value)}D"
        value, unit = value * 24, TimeUnit.HOUR
    if unit in (TimeUnit.HOUR, TimeUnit.WORKING_HOUR):
        if value == value.to_integral():
            return f"PT{int(value)}H"
        return f"PT{int(value * 3600)}S"
    return None


def _organisation(va, node_id: str, agency_uri: Callable | None) -> dict:
    node = {"@id": node_id, "@type": "cv:PublicOrganisation", "skos:prefLabel": _vi(va.agency.name if va.agency else va.name)}
    if va.agency is not None:
        if agency_uri is not None:
            node["@id"] = agency_uri(va.agency)
        if va.agency.organ_code:
            node["dct:identifier"] = va.agency.organ_code
    return node


def _channels_and_costs(version, code: str, base: str) -> tuple[list, list, str | None]:
    channels, costs, durations = [], [], set()
    for channel in version.channels.all():
        channel_id = f"{base}#channel-{channel.order}"
        node = {
            "@id": channel_id,
            "@type": "cv:Channel",
            "dct:identifier": f"{code}-channel-{channel.order}",
            "dct:type": _concept("Cách thức thực hiện", channel.kind, str(ChannelKind(channel.kind).label)),
        }
        descriptions = [channel.description] if channel.description else []
        if channel.time_limit_text:
            descriptions.append(f"Thời hạn giải quyết: {channel.time_limit_text}")
        duration = iso_duration(channel.time_limit_value, channel.time_limit_unit)
        if duration:
            node["cv:processingTime"] = duration
            durations.add((duration, channel.time_limit_unit))
            if channel.time_limit_unit in _WORKING_NOTE:
                descriptions.append(_WORKING_NOTE[channel.time_limit_unit])
        if descriptions:
            node["dct:description"] = [_vi(d) for d in descriptions]
        channels.append(node)
        for fee in channel.fees.all():
            cost = {
                "@id": f"{base}#cost-{channel.order}-{fee.order}",
                "@type": "cv:Cost",
                "dct:identifier": f"{code}-cost-{channel.order}-{fee.order}",
                "cv:currency": CURRENCY_VND,
                "cv:ifAccessedThrough": {"@id": channel_id},
                "dct:type": _concept("Loại phí, lệ phí", fee.kind, str(FeeKind(fee.kind).label)),
            }
            if fee.amount is not None:
                cost["cv:hasValue"] = float(fee.amount)
            if fee.text:
                cost["dct:description"] = _vi(fee.text)
            costs.append(cost)
    # The service-level time is stated only when every channel agrees; else read the channels.
    service_duration = None
    if len(durations) == 1:
        service_duration = next(iter(durations))[0]
    return channels, costs, service_duration


def _evidence(component, code: str, base: str) -> dict:
    parts = []
    if component.case:
        parts.append(f"Trường hợp: {component.case}")
    if component.originals is not None or component.copies is not None:
        parts.append(f"Bản chính: {component.originals or 0}; bản sao: {component.copies or 0}")
    elif component.quantity_text:
        parts.append(f"Số lượng: {component.quantity_text}")
    if component.form_template:
        parts.append(f"Mẫu đơn, tờ khai: {component.form_template}")
    if component.condition:
        parts.append(f"Điều kiện: {component.condition}")
    if not component.required:
        parts.append("Không bắt buộc")
    node = {
        "@id": f"{base}#evidence-{component.order}",
        "@type": "cv:Evidence",
        "dct:identifier": f"{code}-evidence-{component.order}",
        "dct:title": _vi(component.name),
        "dct:language": LANGUAGE_VI,
    }
    if parts:
        node["dct:description"] = _vi(". ".join(parts))
    return node


def _legal(basis, code: str, base: str) -> tuple[dict, dict]:
    document = basis.document
    legal_id = f"{base}#legal-resource-{basis.order}"
    resource = {
        "@id": legal_id,
        "@type": "eli:LegalResource",
        "dct:identifier": document.number,
        "eli:id_local": document.number,
    }
    if document.title:
        resource["eli:title"] = _vi(document.title)
    if document.issued_on:
        resource["eli:date_document"] = document.issued_on.isoformat()
    if document.effective_on:
        resource["eli:first_date_entry_in_force"] = document.effective_on.isoformat()
    if document.issuer:
        resource["eli:passed_by"] = {"@type": "cv:PublicOrganisation", "skos:prefLabel": _vi(document.issuer)}
    rule = {
        "@id": f"{base}#rule-{basis.order}",
        "@type": "cpsv:Rule",
        "dct:identifier": f"{code}-rule-{basis.order}",
        "dct:title": _vi(f"Căn cứ pháp lý: {document.number}"),
        "cpsv:implements": {"@id": legal_id},
        "dct:language": LANGUAGE_VI,
    }
    return resource, rule


def _description(version, code: str) -> str:
    """A one-paragraph summary: the national records have no free-text description of their own."""
    parts = [f"{version.name} (mã thủ tục {code})"]
    if version.domain_id:
        parts.append(f"lĩnh vực {version.domain.name}")
    levels = [str(Level(lv).label) for lv in version.levels if lv in Level.values]
    if levels:
        parts.append("cấp thực hiện: " + ", ".join(levels))
    if version.target_groups:
        parts.append("đối tượng thực hiện: " + ", ".join(version.target_groups))
    return "; ".join(parts) + "."


def _agencies(version, base: str, agency_uri: Callable | None) -> dict:
    """hasCompetentAuthority from the first role present in COMPETENT_FALLBACK; the rest as participations."""
    by_role: dict[str, list] = {}
    for va in version.agencies.all():
        by_role.setdefault(va.role, []).append(va)
    competent_role = next((r for r in COMPETENT_FALLBACK if by_role.get(r)), None)
    out = {}
    if competent_role is not None:
        out["cv:hasCompetentAuthority"] = [
            _organisation(va, f"{base}#agency-{va.role}-{va.order}", agency_uri) for va in by_role[competent_role]
        ]
    participations = [
        {
            "@id": f"{base}#participation-{role}-{va.order}",
            "@type": "cv:Participation",
            "cv:role": _concept("Vai trò cơ quan", role, str(AgencyRole(role).label)),
            "cv:hasParticipant": _organisation(va, f"{base}#agency-{role}-{va.order}", agency_uri),
        }
        for role, vas in by_role.items()
        if role != competent_role
        for va in vas
    ]
    if participations:
        out["cv:hasParticipation"] = participations
    return out


def _outputs(version, code: str, base: str) -> list[dict]:
    outputs = []
    for i, result in enumerate(version.results or [], start=1):
        name = result.get("name", "") if isinstance(result, dict) else str(result)
        if not name:
            continue
        outputs.append({
            "@id": f"{base}#output-{i}",
            "@type": "cv:Output",
            "dct:identifier": (result.get("code") if isinstance(result, dict) else "") or f"{code}-output-{i}",
            "dct:title": _vi(name),
        })
    return outputs


def _classification(version, code: str, base: str) -> dict:
    """Requirements, sector, levels, procedure type and target groups."""
    out = {}
    if version.requirements:
        # Typed as CPSV-AP 3's Requirement and as 2.x's CriterionRequirement, which consumers of
        # the older profile still look for.
        out["cv:holdsRequirement"] = [{
            "@id": f"{base}#requirement",
            "@type": ["cv:Requirement", "cv:CriterionRequirement"],
            "dct:identifier": f"{code}-requirement",
            "dct:title": _vi("Yêu cầu, điều kiện thực hiện"),
            "dct:description": _vi(version.requirements),
        }]
    if version.domain_id:
        out["cv:sector"] = _concept("Lĩnh vực", version.domain.slug, version.domain.name)
    classes = [_concept("Cấp thực hiện", lv, str(Level(lv).label)) for lv in version.levels if lv in Level.values]
    if version.procedure_type:
        classes.append(_concept("Loại thủ tục", version.procedure_type, version.procedure_type))
    if classes:
        out["cv:isClassifiedBy"] = classes
    if version.target_groups:
        out["dct:audience"] = [_concept("Đối tượng thực hiện", g, g) for g in version.target_groups]
    return out


def version_to_cpsv(version, *, service_uri: str, agency_uri: Callable | None = None) -> dict:
    """The version as a CPSV-AP 3.2.0 JSON-LD document (a dict ready for json.dumps).

    `service_uri` names the public service (the procedure's API URL); other nodes are fragments of
    it. `agency_uri(agency)` names a known agency (its API URL), else its node is a fragment.
    """
    code = version.procedure.code
    base = service_uri
    service = {
        "@context": CONTEXT,
        "@id": base,
        "@type": "cpsv:PublicService",
        "dct:identifier": code,
        "dct:title": _vi(version.name),
        "dct:description": _vi(_description(version, code)),
        "dct:language": LANGUAGE_VI,
        "dct:spatial": COUNTRY_VN,
        "adms:status": ADMS_STATUS.get(version.status, ADMS_STATUS[VersionStatus.PUBLISHED]),
        "owl:versionInfo": str(version.number),
    }
    if version.valid_from:
        service["dct:issued"] = version.valid_from.isoformat()
    service.update(_agencies(version, base, agency_uri))

    channels, costs, duration = _channels_and_costs(version, code, base)
    if channels:
        service["cv:hasChannel"] = channels
    if costs:
        service["cv:hasCost"] = costs
    if duration:
        service["cv:processingTime"] = duration
    components = list(version.components.all())
    if components:
        service["cpsv:hasInput"] = [_evidence(c, code, base) for c in components]
    outputs = _outputs(version, code, base)
    if outputs:
        service["cpsv:produces"] = outputs
    legal = [_legal(b, code, base) for b in version.legal_bases.all()]
    if legal:
        service["cv:hasLegalResource"] = [resource for resource, _rule in legal]
        service["cpsv:follows"] = [rule for _resource, rule in legal]
    service.update(_classification(version, code, base))
    return service
