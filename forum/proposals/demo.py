"""Demo proposals (being built)."""


def seed_proposals() -> None:
    pass
