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
    Domain,
    DossierComponent,
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
from motcua.catalog.records import LegalBasisRecord, ProcedureRecord
from motcua.lib.text import fold
from motcua.units.choices import AgencyLevel
from motcua.units.services import ensure_agency


def content_hash(record: ProcedureRecord) -> str:
    """A digest of what the source published, to tell a real amendment from a re-import.

    It covers the source record as published (not our parse of it), so improving the parser and
    importing again does not invent amendments that no decision made; a fresh database gets the
    better parse. Records built without a source (tests, the admin) are hashed on their structure.
    """
    data = record.raw if record.raw else {k: v for k, v in asdict(record).items() if k != "raw"}
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


class Lookups:
    """The shared rows an import refers to by name (domains, decisions, legal documents, agencies).

    Fetched and created in bulk per batch and cached for the whole import, so publishing a batch
    costs a constant number of queries instead of a few per record.
    """

    def __init__(self):
        self.domains: dict[str, Domain] = {}
        self.decisions: dict[str, PublicationDecision] = {}
        self.documents: dict[str, LegalDocument] = {}
        self.agencies: dict[str, object] = {}

    def prepare(self, records: list[ProcedureRecord]) -> None:
        self._domains({r.domain for r in records if r.domain} - self.domains.keys())
        self._decisions({r.decision_number: r.issuing_agency for r in records
                         if r.decision_number and r.decision_number not in self.decisions})
        documents = {}
        for r in records:
            for lb in r.legal_basis:
                number = lb.number.strip()[:120]
                if number and number not in self.documents:
                    documents.setdefault(number, lb)
        self._documents(documents)
        for name in {r.issuing_agency for r in records if r.issuing_agency} - self.agencies.keys():
            self.agencies[name] = ensure_agency(name, level=AgencyLevel.MINISTRY, source="catalogue")

    def _domains(self, names: set[str]) -> None:
        if not names:
            return
        self.domains.update({d.name: d for d in Domain.objects.filter(name__in=names)})
        missing = sorted(names - self.domains.keys())
        if not missing:
            return
        wanted = {name: slugify(fold(name))[:100] or "linh-vuc" for name in missing}
        taken = set(Domain.objects.filter(slug__in=wanted.values()).values_list("slug", flat=True))
        rows = []
        for name in missing:
            slug, n = wanted[name], 1
            while slug in taken:
                n += 1
                slug = f"{wanted[name][:95]}-{n}"
            taken.add(slug)
            rows.append(Domain(name=name, slug=slug, name_folded=fold(name)))
        for domain in Domain.objects.bulk_create(rows):
            self.domains[domain.name] = domain

    def _decisions(self, numbers: dict[str, str]) -> None:
        if not numbers:
            return
        self.decisions.update({d.number: d for d in PublicationDecision.objects.filter(number__in=numbers)})
        rows = [PublicationDecision(number=n, issuer=issuer) for n, issuer in numbers.items()
                if n not in self.decisions]
        for decision in PublicationDecision.objects.bulk_create(rows):
            self.decisions[decision.number] = decision

    def _documents(self, wanted: dict[str, LegalBasisRecord]) -> None:
        if not wanted:
            return
        self.documents.update({d.number: d for d in LegalDocument.objects.filter(number__in=wanted)})
        rows = [LegalDocument(number=n, title=lb.title, issued_on=lb.issued_on, issuer=lb.issuer)
                for n, lb in wanted.items() if n not in self.documents]
        for document in LegalDocument.objects.bulk_create(rows):
            self.documents[document.number] = document


def _write_versions(items: list[tuple[ProcedureRecord, Procedure, ProcedureVersion | None]], lookups: Lookups,
                    *, change_kind: str | None = None, valid_from: date | None = None) -> list[ProcedureVersion]:
    """Publish one new version for each (record, procedure, current version) with bulk inserts."""
    lookups.prepare([record for record, _p, _c in items])
    versions = ProcedureVersion.objects.bulk_create([
        ProcedureVersion(
            procedure=procedure,
            number=(current.number + 1) if current else 1,
            decision=lookups.decisions.get(record.decision_number),
            change_kind=change_kind or (DecisionKind.AMENDED if current else DecisionKind.NEW),
            status=VersionStatus.PUBLISHED,
            valid_from=valid_from,
            name=record.name,
            levels=record.levels,
            domain=lookups.domains.get(record.domain),
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
            content_hash=content_hash(record),
        )
        for record, procedure, current in items
    ])
    steps, channels, fees, components, bases, agencies = [], [], [], [], [], []
    for (record, _procedure, _current), version in zip(items, versions, strict=True):
        steps += [Step(version=version, order=i, title=s.title, description=s.description)
                  for i, s in enumerate(record.steps, start=1)]
        for i, ch in enumerate(record.channels, start=1):
            channel = Channel(
                version=version, order=i, kind=ch.kind, time_limit_value=ch.time_limit_value,
                time_limit_unit=ch.time_limit_unit, time_limit_text=ch.time_limit_text, description=ch.description,
            )
            channels.append(channel)
            fees += [(channel, Fee(order=j, kind=f.kind, amount=f.amount, text=f.text))
                     for j, f in enumerate(ch.fees, start=1)]
        components += [
            DossierComponent(
                version=version, order=i, case=c.case, name=c.name, originals=c.originals, copies=c.copies,
                quantity_text=c.quantity_text[:300], form_template=c.form_template[:500], required=c.required,
                condition=c.condition,
            )
            for i, c in enumerate(record.components, start=1)
        ]
        bases += [LegalBasis(version=version, order=i, document=lookups.documents[lb.number.strip()[:120]])
                  for i, lb in enumerate(r for r in record.legal_basis if r.number.strip())]
        agencies += [VersionAgency(version=version, role=role, order=i, name=name[:500])
                     for role, names in record.agencies.items() for i, name in enumerate(names, start=1)]
        issuing = lookups.agencies.get(record.issuing_agency)
        if issuing is not None:
            agencies.append(VersionAgency(version=version, role="issuing", order=1, name=issuing.name, agency=issuing))
    Step.objects.bulk_create(steps)
    Channel.objects.bulk_create(channels)  # returns primary keys on PostgreSQL and SQLite >= 3.35
    for channel, fee in fees:
        fee.channel = channel
    Fee.objects.bulk_create(fee for _channel, fee in fees)
    DossierComponent.objects.bulk_create(components)
    LegalBasis.objects.bulk_create(bases)
    VersionAgency.objects.bulk_create(agencies)

    superseded = [current for _r, _p, current in items if current is not None]
    for current in superseded:
        current.status = VersionStatus.SUPERSEDED
        current.valid_until = valid_from or date.today()
    ProcedureVersion.objects.bulk_update(superseded, ["status", "valid_until"])
    procedures = []
    for (_record, procedure, _current), version in zip(items, versions, strict=True):
        procedure.current_version = version
        procedures.append(procedure)
    Procedure.objects.bulk_update(procedures, ["current_version"])
    _index([(record, procedure, version, lookups.domains.get(record.domain), lookups.agencies.get(record.issuing_agency))
            for (record, procedure, _c), version in zip(items, versions, strict=True)])
    return versions


@transaction.atomic
def publish_record(record: ProcedureRecord, *, change_kind: str | None = None,
                   valid_from: date | None = None) -> tuple[ProcedureVersion, bool]:
    """Publish the record as the procedure's current version unless it already is.

    Returns (version, created). The previous version, if any, is closed (superseded) and stays
    readable; a published version is never edited.
    """
    procedure, _created = Procedure.objects.select_for_update().get_or_create(code=record.code)
    current = procedure.current_version
    if current is not None and current.content_hash == content_hash(record):
        return current, False
    [version] = _write_versions([(record, procedure, current)], Lookups(), change_kind=change_kind,
                                valid_from=valid_from)
    return version, True


@transaction.atomic
def publish_records(records: list[ProcedureRecord], lookups: Lookups | None = None) -> tuple[int, int]:
    """Publish a batch of records (one code each) in one transaction; returns (created, unchanged)."""
    lookups = lookups or Lookups()
    codes = [r.code for r in records]
    if len(set(codes)) != len(codes):
        raise ValueError("a batch holds each procedure code once")
    existing = {p.code: p for p in Procedure.objects.select_for_update(of=("self",))
                .filter(code__in=codes).select_related("current_version")}
    new = Procedure.objects.bulk_create([Procedure(code=c) for c in codes if c not in existing])
    existing.update({p.code: p for p in new})
    items = []
    for record in records:
        procedure = existing[record.code]
        current = procedure.current_version
        if current is None or current.content_hash != content_hash(record):
            items.append((record, procedure, current))
    if items:
        _write_versions(items, lookups)
    return len(items), len(records) - len(items)


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


def search_text(code: str, name: str, domain: str, agency_names, result_names, issuing_name: str = "") -> str:
    """The folded text a query can match: code, name, domain, agencies and results."""
    parts = [code, name, domain, *agency_names, *result_names, issuing_name]
    return fold(" ".join(p for p in parts if p))


def _document(code, version, domain, issuing, text) -> SearchDocument:
    levels = set(version.levels)
    return SearchDocument(
        procedure_id=version.procedure_id, version=version, code=code, name=version.name,
        name_folded=fold(version.name), body_folded=text, status=version.status, domain=domain,
        issuing_agency=issuing, online_service=version.online_service,
        **{field: level in levels for level, field in SearchDocument.LEVEL_FIELDS.items()},
    )


def _index(entries) -> None:
    """Replace the search rows of these procedures (the FTS index follows the table by trigger)."""
    documents = []
    for record, procedure, version, domain, issuing in entries:
        agency_names = [n for names in record.agencies.values() for n in names]
        results = [r.get("name", "") for r in record.results if isinstance(r, dict)]
        text = search_text(procedure.code, version.name, record.domain, agency_names, results,
                           issuing.name if issuing else "")
        documents.append(_document(procedure.code, version, domain, issuing, text))
    SearchDocument.objects.filter(procedure_id__in=[d.procedure_id for d in documents]).delete()
    SearchDocument.objects.bulk_create(documents)
