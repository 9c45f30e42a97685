"""Demo data: filled in below."""


def load(context) -> None:
    return None
