"""Celery adapters for cases: a service call, nothing else."""

from __future__ import annotations

from celery import shared_task

from cases.escalation import referrals_escalate
from cases.retention import referrals_purge, retention_cutoff


@shared_task
def referrals_purge_task() -> int:
    """Run daily by beat (CELERY_BEAT_SCHEDULE["cases-purge-ended-referrals"]). Safe to run twice:
    the second run finds nothing due."""
    return referrals_purge(before=retention_cutoff(), dry_run=False).referrals


@shared_task
def referrals_escalate_task() -> dict[str, int]:
    """Run every few minutes by beat (CELERY_BEAT_SCHEDULE["cases-escalate-unanswered-referrals"]).
    Safe to run twice, and on two workers at once: each step is claimed once (cases/escalation.py)."""
    done = referrals_escalate()
    return {"to_admins": len(done.to_admins), "to_cochairs": len(done.to_cochairs)}
