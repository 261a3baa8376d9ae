"""Errors of the signing context; like the dossiers' errors they carry a Vietnamese message."""

from motcua.dossiers.errors import DossierError


class SigningError(DossierError):
    """The result cannot be signed now (no usable certificate, unreadable key, ...)."""

    status_code = 409


class PkiError(SigningError):
    """A certificate or key operation failed: the message says which and what to do."""
