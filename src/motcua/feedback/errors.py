"""Errors of the feedback context, each with a Vietnamese message for the page or the API."""


class FeedbackError(Exception):
    status_code = 400

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInputError(FeedbackError):
    """`errors` maps each field to its message."""

    status_code = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()), errors)


class TransitionNotAllowedError(FeedbackError):
    status_code = 409


class NotPermittedError(FeedbackError):
    status_code = 403


class ConflictError(FeedbackError):
    status_code = 409
