"""Read-side queries of the signing context."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from motcua.signing.models import AgencyCertificate, SignedResult, TrustAnchor


def results_for_dossier(dossier) -> QuerySet[SignedResult]:
    """The signed results issued for a dossier, newest first (the citizen's document store lists these)."""
    return (SignedResult.objects.filter(dossier=dossier)
            .select_related("agency", "certificate", "signer").order_by("-signed_at", "-id"))


def current_certificate(agency, *, at: datetime | None = None) -> AgencyCertificate | None:
    """The agency's newest certificate that is in its validity window and not revoked."""
    at = at or timezone.now()
    return (AgencyCertificate.objects
            .filter(agency=agency, revoked_at__isnull=True, not_before__lte=at, not_after__gt=at)
            .order_by("-not_before", "-id").first())


def active_trust_anchors() -> QuerySet[TrustAnchor]:
    return TrustAnchor.objects.filter(active=True).order_by("id")


def certificates_by_fingerprint(fingerprints) -> dict[str, AgencyCertificate]:
    rows = AgencyCertificate.objects.filter(fingerprint__in=list(fingerprints)).select_related("agency")
    return {row.fingerprint: row for row in rows}


def results_by_sha256(digest: str) -> SignedResult | None:
    return (SignedResult.objects.filter(sha256=digest).select_related("dossier", "agency", "certificate")
            .order_by("signed_at", "id").first())
