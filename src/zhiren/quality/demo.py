"""Demo data for quality (filled in below)."""


def load(context) -> None:
    return None
