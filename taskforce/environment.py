"""Reading settings from the process environment."""

import os


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    """Production refuses to start without these: there is no safe default."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(f"The environment variable {name} is required in production.")
    return value
