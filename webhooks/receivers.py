"""Receivers of cases.signals.referral_event (being written)."""
