class ReformInputError(Exception):
    """Bad input: `errors` maps each field to a Vietnamese message; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
