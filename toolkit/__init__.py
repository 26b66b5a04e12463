"""Shared helpers that know no domain: caching, rate limits, parsing, full-text search,
compiled queries and spreadsheet safety. Nothing here imports a portal app; every app may
import from here (see docs/architecture.md)."""
