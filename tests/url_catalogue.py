"""Every URL pattern of the project, for the authorization meta-tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself when unnamed
    pattern: str
    converters: tuple[str, ...]  # names of the path parameters


def all_routes() -> list[Route]:
    routes: dict[str, Route] = {}
    _walk(get_resolver().url_patterns, prefix="", namespace="", params=(), out=routes)
    return sorted(routes.values(), key=lambda route: route.name)


def _walk(patterns: list, *, prefix: str, namespace: str, params: tuple[str, ...], out: dict[str, Route]) -> None:
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        found = params + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            _walk(entry.url_patterns, prefix=pattern, namespace=ns, params=found, out=out)
        elif isinstance(entry, URLPattern):
            label = entry.name or pattern
            name = f"{namespace}:{label}" if namespace else label
            # Format-suffix variants (DRF) share a name; keep the first, plain one.
            out.setdefault(name, Route(name=name, pattern=pattern, converters=tuple(dict.fromkeys(found))))
