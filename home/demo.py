"""Fictional announcements for the demo: one to the victim-service agencies before an operation (the
example the task force gives), one to every partner about the quarter's figures. The demo advocate
acknowledges the first, so a coordinator sees who has and who has not read it.

Idempotent: nothing is added once any announcement exists.
"""

from __future__ import annotations

from typing import TextIO

from agencies.models import Agency, Sector, User
from agencies.roles import Role
from home.models import Announcement, Audience
from home.services import AnnouncementDraft, announcement_acknowledge, announcement_send

ANNOUNCEMENTS = [
    AnnouncementDraft(
        title="Operation planned next week: expect more emergency referrals",
        body="Law enforcement plans an operation next week. Shelters and advocates: please check your capacity "
        "status in the service directory and keep the after-hours line staffed from Tuesday to Thursday.",
        audience=Audience.SECTOR,
        sector=Sector.VICTIM_SERVICES,
    ),
    AnnouncementDraft(
        title="Quarterly figures are due on the 15th",
        body="Please enter your agency's activity figures for the quarter by the 15th, so that the grant "
        "report can be filed on time. The reports page lists what is still missing.",
        audience=Audience.ALL,
    ),
]


def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    if Announcement.objects.exists():
        return
    coordinator = User.objects.filter(role=Role.COORDINATOR, email__endswith="@demo.example.org").first()
    if coordinator is None:
        return
    sent = [announcement_send(actor=coordinator, draft=draft) for draft in ANNOUNCEMENTS]
    advocate = User.objects.filter(email="advocate@demo.example.org").first()
    if advocate is not None:
        announcement_acknowledge(actor=advocate, announcement=sent[0])
    stdout.write(f"Demo announcements: {len(sent)}.")
