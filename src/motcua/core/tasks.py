from motcua.core.compat import task


@task()
def deliver_outbox() -> dict:
    """Deliver the outbox events that are due (run by `motcua worker`)."""
    from motcua.core.outbox import deliver_due

    return deliver_due()
