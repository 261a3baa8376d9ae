"""Writes of the catalogue: publishing procedure versions and importing the real sources.

Every write to the catalogue goes through `publish_record()`: it turns a parsed record into a
new published version when (and only when) its content differs from the current version, so
importing the same source twice changes nothing, and an amended source publishes version N+1.
"""

import hashlib
import json
from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from motcua.catalog.choices import DecisionKind, VersionStatus
from motcua.catalog.models import (
    Channel,
    DossierComponent,
    Domain,
    Fee,
    LegalBasis,
    LegalDocument,
    Procedure,
    ProcedureVersion,
    PublicationDecision,
    SearchDocument,
    Step,
    VersionAgency,
)
from motcua.catalog.records import ProcedureRecord
from motcua.lib.text import fold
from motcua.units.choices import AgencyLevel
from motcua.units.services import ensure_agency


def content_hash(record: ProcedureRecord) -> str:
    """A digest of what a version says (not of where it came from), to detect real changes."""
    data = asdict(record)
    data.pop("raw", None)
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _domain(name: str) -> Domain | None:
    if not name:
        return None
    domain = Domain.objects.filter(name=name).first()
    if domain is None:
        slug = slugify(fold(name))[:100] or "linh-vuc"
        if Domain.objects.filter(slug=slug).exists():
            slug = f"{slug[:90]}-{Domain.objects.count() + 1}"
        domain = Domain.objects.create(name=name, slug=slug)
    return domain


def _decision(number: str, issuer: str) -> PublicationDecision | None:
    if not number:
        return None
    decision, _created = PublicationDecision.objects.get_or_create(number=number, defaults={"issuer": issuer})
    return decision


def _legal_document(number: str, title: str, issued_on: date | None, issuer: str) -> LegalDocument:
    document, created = LegalDocument.objects.get_or_create(
        number=number[:120], defaults={"title": title, "issued_on": issued_on, "issuer": issuer}
    )
    if not created and not document.title and title:
        document.title = title
        document.save(update_fields=["title"])
    return document


@transaction.atomic
def publish_record(record: ProcedureRecord, *, change_kind: str | None = None,
                   valid_from: date | None = None) -> tuple[ProcedureVersion, bool]:
    """Publish the record as the procedure's current version unless it already is.

    Returns (version, created). The previous version, if any, is closed (superseded) and stays
    readable; a published version is never edited.
    """
    digest = content_hash(record)
    procedure, _created = Procedure.objects.select_for_update().get_or_create(code=record.code)
    current = procedure.current_version
    if current is not None and current.content_hash == digest:
        return current, False

    issuing = None
    if record.issuing_agency:
        issuing = ensure_agency(record.issuing_agency, level=AgencyLevel.MINISTRY, source="catalogue")
    if change_kind is None:
        change_kind = DecisionKind.NEW if current is None else DecisionKind.AMENDED
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=(current.number + 1) if current else 1,
        decision=_decision(record.decision_number, record.issuing_agency),
        change_kind=change_kind,
        status=VersionStatus.PUBLISHED,
        valid_from=valid_from,
        name=record.name,
        levels=record.levels,
        domain=_domain(record.domain),
        procedure_type=record.procedure_type,
        target_groups=record.target_groups,
        requirements=record.requirements,
        results=record.results,
        reception_address=record.reception_address,
        related_procedures=record.related_procedures,
        online_service=record.online_service,
        steps_text=record.steps_text,
        unparsed=record.unparsed,
        source=record.source,
        source_record=record.raw,
        content_hash=digest,
    )
    Step.objects.bulk_create(
        Step(version=version, order=i, title=s.title, description=s.description)
        for i, s in enumerate(record.steps, start=1)
    )
    for i, ch in enumerate(record.channels, start=1):
        channel = Channel.objects.create(
            version=version, order=i, kind=ch.kind, time_limit_value=ch.time_limit_value,
            time_limit_unit=ch.time_limit_unit, time_limit_text=ch.time_limit_text, description=ch.description,
        )
        Fee.objects.bulk_create(
            Fee(channel=channel, order=j, kind=f.kind, amount=f.amount, text=f.text)
            for j, f in enumerate(ch.fees, start=1)
        )
    DossierComponent.objects.bulk_create(
        DossierComponent(
            version=version, order=i, case=c.case, name=c.name, originals=c.originals, copies=c.copies,
            quantity_text=c.quantity_text[:300], form_template=c.form_template[:500], required=c.required,
            condition=c.condition,
        )
        for i, c in enumerate(record.components, start=1)
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(version=version, order=i,
                   document=_legal_document(lb.number, lb.title, lb.issued_on, lb.issuer))
        for i, lb in enumerate(record.legal_basis, start=1)
    )
    agencies = [
        VersionAgency(version=version, role=role, order=i, name=name[:500])
        for role, names in record.agencies.items()
        for i, name in enumerate(names, start=1)
    ]
    if issuing is not None:
        agencies.append(VersionAgency(version=version, role="issuing", order=1, name=issuing.name, agency=issuing))
    VersionAgency.objects.bulk_create(agencies)

    if current is not None:
        current.status = VersionStatus.SUPERSEDED
        current.valid_until = valid_from or date.today()
        current.save(update_fields=["status", "valid_until"])
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    index_procedure(procedure, version, issuing)
    return version, True


@transaction.atomic
def abolish(procedure: Procedure, *, decision_number: str, effective_on: date | None = None) -> ProcedureVersion:
    """Close the current version under an abolition decision; the procedure stays visible as history."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = procedure.current_version
    if current is None or current.status == VersionStatus.ABOLISHED:
        return current
    current.status = VersionStatus.ABOLISHED
    current.valid_until = effective_on or date.today()
    current.save(update_fields=["status", "valid_until"])
    PublicationDecision.objects.get_or_create(number=decision_number)
    SearchDocument.objects.filter(procedure=procedure).update(status=VersionStatus.ABOLISHED)
    return current


def search_body(version: ProcedureVersion, issuing_name: str = "") -> str:
    """The folded text a query can match, beyond the name."""
    parts = [version.procedure.code, version.name]
    if version.domain_id:
        parts.append(version.domain.name)
    parts.extend(version.agencies.values_list("name", flat=True))
    parts.extend(r.get("name", "") for r in version.results if isinstance(r, dict))
    parts.append(issuing_name)
    return fold(" ".join(p for p in parts if p))


def index_procedure(procedure: Procedure, version: ProcedureVersion, issuing=None) -> SearchDocument:
    """Project the current version into the search table (the FTS index follows it by trigger)."""
    levels = set(version.levels)
    values = {
        "version": version,
        "code": procedure.code,
        "name": version.name,
        "name_folded": fold(version.name),
        "body_folded": search_body(version, issuing.name if issuing else ""),
        "status": version.status,
        "domain_id": version.domain_id,
        "issuing_agency": issuing,
        "online_service": version.online_service,
        **{field: level in levels for level, field in SearchDocument.LEVEL_FIELDS.items()},
    }
    document, _created = SearchDocument.objects.update_or_create(procedure=procedure, defaults=values)
    return document


