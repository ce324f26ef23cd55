"""Demo data (placeholder until the loader lands)."""


def load_demo() -> list[str]:
    return []
