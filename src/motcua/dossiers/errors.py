"""Errors of the dossier context, each carrying a Vietnamese message for the UI and the API."""

from django.utils.translation import gettext as _


class DossierError(Exception):
    """Base class: `message` is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class TransitionNotAllowedError(DossierError):
    """The action is not allowed from the dossier's current stage; `allowed` lists what is."""

    status_code = 409

    def __init__(self, action: str, stage_label: str, allowed: list[tuple[str, str]]):
        names = ", ".join(label for _key, label in allowed) or _("không có thao tác nào")
        super().__init__(
            _("Không thể “%(action)s” khi hồ sơ đang ở giai đoạn “%(stage)s”. Các thao tác được phép: %(allowed)s.")
            % {"action": action, "stage": stage_label, "allowed": names},
            allowed=[key for key, _label in allowed],
        )


class ConflictError(DossierError):
    """Someone else changed the dossier since the caller read it."""

    status_code = 409


class NotPermittedError(DossierError):
    status_code = 403


class InvalidInputError(DossierError):
    """Bad input; `errors` maps each field to its Vietnamese message."""

    status_code = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()), errors=errors)
        self.errors = errors
