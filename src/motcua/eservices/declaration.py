"""The e-form declaration as a PDF, so the official reads and prints it like every other paper.

The data stays on OnlineSubmission.declaration; this is its printed form, attached to the dossier's
"(tờ khai điện tử)" paper, laid out with lib.pdf (bundled fonts, Decree 30/2020 title line).
"""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from motcua.eforms import formats
from motcua.lib import pdf
from motcua.units.models import AdministrativeUnit


def _value(declaration: dict, path: str):
    node = declaration
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _display(field, value, units: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    labels = dict((str(v), label) for v, label in field.choices)
    if str(value) in labels:
        return labels[str(value)]
    if field.format == "date":
        return formats.format_date(value)
    if field.widget == "unit-picker":
        return units.get(str(value), str(value))
    return str(value)


def render_declaration(eform, declaration: dict, *, applicant_name: str, at: datetime | None = None) -> bytes:
    at = timezone.localtime(at or timezone.now())
    definition = eform.definition
    codes = [str(_value(declaration, f.path)) for f in definition.fields.values() if f.widget == "unit-picker"]
    units = {u.code: f"{u.name}, {u.parent.name}" if u.parent_id else u.name for u in
             AdministrativeUnit.objects.filter(edition="2025", code__in=codes).select_related("parent")}
    sections = []
    for section in definition.sections:
        rows = [(f.label, _display(f, _value(declaration, f.path), units)) for f in section.fields]
        rows = [(label, value) for label, value in rows if value]
        if rows:
            sections.append({"legend": section.legend, "rows": rows})
    html = render_to_string("eservices/declaration_pdf.html", {
        "title": pdf.document_title(eform.title.upper(), eform.legal_source),
        "sections": sections, "applicant_name": applicant_name, "at": at, "eform": eform,
    })
    return pdf.render_pdf(html)
