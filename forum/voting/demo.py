"""Demo polls (being built)."""


def seed_polls() -> None:
    pass
