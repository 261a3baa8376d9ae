"""Reads of the catalogue for pages and the API (search lives in catalog/search.py)."""

from django.db.models import Prefetch, QuerySet

from motcua.catalog.models import Channel, Procedure, ProcedureVersion


def version_queryset() -> QuerySet[ProcedureVersion]:
    """Versions with every part they show, in a constant number of queries."""
    return ProcedureVersion.objects.select_related("procedure", "decision", "domain").prefetch_related(
        "steps",
        Prefetch("channels", queryset=Channel.objects.prefetch_related("fees")),
        "components",
        "legal_bases__document",
        "agencies__agency",
    )


def get_procedure(code: str) -> Procedure | None:
    """The procedure with this code, its current version fully loaded, and its version history."""
    procedure = (
        Procedure.objects.filter(code=code)
        .select_related("template", "owner_agency", "replaced_by")
        .prefetch_related(
            Prefetch("versions", queryset=ProcedureVersion.objects.select_related("decision").order_by("-number"))
        )
        .first()
    )
    if procedure is None:
        return None
    if procedure.current_version_id:
        procedure.current = version_queryset().get(pk=procedure.current_version_id)
    else:
        procedure.current = None
    return procedure
