"""Model instances → response dicts (the shapes in api/schemas.py). No queries beyond what the
selectors prefetched: every function here reads loaded attributes only."""

from django.http import HttpRequest
from django.urls import reverse

from motcua.catalog.choices import AgencyRole


def absolute(request: HttpRequest, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


class Urls:
    """Absolute URLs of API resources for one request (links in answers are absolute, so a client
    can follow them without knowing where the API is mounted)."""

    def __init__(self, request: HttpRequest):
        self.request = request

    def procedure(self, code: str) -> str:
        return absolute(self.request, "procedure_detail", code=code)

    def version(self, code: str, number: int) -> str:
        return absolute(self.request, "procedure_version", code=code, number=number)

    def cpsv(self, code: str) -> str:
        return absolute(self.request, "procedure_cpsv", code=code)

    def unit(self, edition: str, code: str) -> str:
        return absolute(self.request, "unit_detail", edition=edition, code=code)

    def agency(self, agency) -> str:
        return absolute(self.request, "agency_detail", organ_code_or_slug=agency.organ_code or agency.slug)


def domain(d) -> dict | None:
    return {"id": d.pk, "name": d.name, "slug": d.slug} if d is not None else None


def agency_ref(agency) -> dict | None:
    if agency is None:
        return None
    return {"id": agency.pk, "name": agency.name, "organ_code": agency.organ_code, "slug": agency.slug}


def _result(item) -> dict:
    if isinstance(item, dict):
        return {"name": str(item.get("name", "")), "code": str(item.get("code") or "")}
    return {"name": str(item), "code": ""}


def version(v, urls: Urls) -> dict:
    """Every field of a version loaded by `catalog.selectors.version_queryset()`."""
    code = v.procedure.code
    agencies = {role.value: [] for role in AgencyRole}
    for va in v.agencies.all():
        agencies.setdefault(va.role, []).append({"name": va.name, "agency": agency_ref(va.agency)})
    decision = v.decision
    return {
        "code": code,
        "number": v.number,
        "name": v.name,
        "status": v.status,
        "change_kind": v.change_kind,
        "valid_from": v.valid_from,
        "valid_until": v.valid_until,
        "decision": {
            "number": decision.number, "signed_on": decision.signed_on, "effective_on": decision.effective_on,
            "issuer": decision.issuer, "title": decision.title,
        } if decision else None,
        "levels": list(v.levels),
        "domain": domain(v.domain),
        "procedure_type": v.procedure_type,
        "online_service": v.online_service,
        "target_groups": list(v.target_groups),
        "requirements": v.requirements,
        "results": [_result(r) for r in v.results or []],
        "reception_address": v.reception_address,
        "related_procedures": v.related_procedures,
        "steps": [{"order": s.order, "title": s.title, "description": s.description} for s in v.steps.all()],
        "steps_text": v.steps_text,
        "channels": [
            {
                "order": ch.order,
                "kind": ch.kind,
                "time_limit_value": float(ch.time_limit_value) if ch.time_limit_value is not None else None,
                "time_limit_unit": ch.time_limit_unit,
                "time_limit_text": ch.time_limit_text,
                "description": ch.description,
                "fees": [
                    {"kind": f.kind, "amount": f.amount, "currency": "VND", "text": f.text} for f in ch.fees.all()
                ],
            }
            for ch in v.channels.all()
        ],
        "components": [
            {
                "order": c.order, "case": c.case, "name": c.name, "originals": c.originals, "copies": c.copies,
                "quantity_text": c.quantity_text, "form_template": c.form_template, "required": c.required,
                "condition": c.condition,
            }
            for c in v.components.all()
        ],
        "legal_basis": [
            {
                "order": lb.order, "number": lb.document.number, "title": lb.document.title,
                "issued_on": lb.document.issued_on, "effective_on": lb.document.effective_on,
                "issuer": lb.document.issuer,
            }
            for lb in v.legal_bases.all()
        ],
        "agencies": agencies,
        "unparsed": {str(k): str(val) for k, val in (v.unparsed or {}).items() if val},
        "source": v.source,
        "url": urls.version(code, v.number),
        "cpsv_ap_url": urls.cpsv(code),
    }


def version_summary(v, code: str, urls: Urls) -> dict:
    return {
        "number": v.number,
        "decision_number": v.decision.number if v.decision_id else None,
        "change_kind": v.change_kind,
        "status": v.status,
        "valid_from": v.valid_from,
        "valid_until": v.valid_until,
        "url": urls.version(code, v.number),
    }


def procedure(p, urls: Urls) -> dict:
    """The procedure with its current version in full and its version history."""
    data = version(p.current, urls)
    data["url"] = urls.procedure(p.code)
    data["template"] = {"code": p.template.code, "url": urls.procedure(p.template.code)} if p.template_id else None
    data["replaced_by"] = (
        {"code": p.replaced_by.code, "url": urls.procedure(p.replaced_by.code)} if p.replaced_by_id else None
    )
    data["versions"] = [version_summary(v, p.code, urls) for v in p.versions.all()]
    return data


# --- units ---------------------------------------------------------------------------------------


def unit_ref(u) -> dict | None:
    if u is None:
        return None
    return {"edition": u.edition, "level": u.level, "code": u.code, "name": u.name}


def unit(u, urls: Urls) -> dict:
    """A unit; its parent must be loaded (select_related("parent")) to stay query-free."""
    return {
        "edition": u.edition,
        "level": u.level,
        "code": u.code,
        "name": u.name,
        "unit_type": u.unit_type,
        "parent": unit_ref(u.parent) if u.parent_id else None,
        "valid_from": u.valid_from,
        "valid_to": u.valid_to,
        "legal_basis": u.legal_basis,
        "url": urls.unit(u.edition, u.code),
    }


def agency(a, urls: Urls) -> dict:
    """An agency; parent, successor and unit must be loaded (select_related) to stay query-free."""
    return {
        "id": a.pk,
        "organ_code": a.organ_code,
        "name": a.name,
        "slug": a.slug,
        "level": a.level,
        "parent": agency_ref(a.parent) if a.parent_id else None,
        "successor": agency_ref(a.successor) if a.successor_id else None,
        "unit": unit_ref(a.unit) if a.unit_id else None,
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
        "url": urls.agency(a),
    }
