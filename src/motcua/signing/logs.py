"""Keep pyHanko's validation logging out of the server log.

pyHanko logs a warning with a full traceback whenever a certificate path cannot be built or
validated (shared/reference/stack.md §7): for a public verification page, where anyone may upload a
PDF signed by any certificate, that is an expected verdict, not a server problem, and would bury
real errors. The verdict itself is in the VerificationReport. Other records from that logger keep
their message but lose the traceback.
"""

import logging

from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

VALIDATION_LOGGER = "pyhanko.sign.validation.generic_cms"
_EXPECTED = (PathBuildingError, PathValidationError, ValidationError)


class ExpectedValidationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, _EXPECTED):
            return False
        if exc is not None:
            record.msg = f"{record.getMessage()}: {type(exc).__name__}: {exc}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_pyhanko_validation() -> None:
    logger = logging.getLogger(VALIDATION_LOGGER)
    if not any(isinstance(f, ExpectedValidationFilter) for f in logger.filters):
        logger.addFilter(ExpectedValidationFilter())
