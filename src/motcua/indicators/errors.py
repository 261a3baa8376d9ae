class IndicatorError(ValueError):
    """A request the index cannot answer; `field` names the parameter, the message is Vietnamese."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(message)


class UnknownScopeError(IndicatorError):
    pass


class UnknownPeriodError(IndicatorError):
    pass
