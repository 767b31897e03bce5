"""Demo deliberations (being built)."""


def seed_deliberations() -> None:
    pass
