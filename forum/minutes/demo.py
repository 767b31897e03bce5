"""Demo minutes (being built)."""


def seed_minutes() -> None:
    pass
