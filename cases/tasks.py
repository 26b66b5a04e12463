"""Celery adapters for cases: a service call, nothing else."""

from __future__ import annotations

from celery import shared_task

from cases.retention import referrals_purge, retention_cutoff


@shared_task
def referrals_purge_task() -> int:
    """Run daily by beat (CELERY_BEAT_SCHEDULE["cases-purge-ended-referrals"]). Safe to run twice:
    the second run finds nothing due."""
    return referrals_purge(before=retention_cutoff(), dry_run=False).referrals
