"""Factories of this area. Rows built here are ones the services could have built."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from meetings.choices import Audience, MeetingKind, TrainingSector
from meetings.models import Committee, Meeting, Training, TrainingAudience
from tests.factories import AgencyFactory, UserFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Working group {n}")

    @factory.post_generation
    def people(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.members.set(extracted)

    @factory.post_generation
    def member_agencies(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.agencies.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Task force meeting {n}")
    kind = MeetingKind.FULL
    audience = Audience.ALL_MEMBERS
    host_agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=1))
    location = "County Government Center, Room 204"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Training {n}")
    description = "Recognizing the signs and making a warm referral."
    host_agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda t: t.starts_at + timedelta(hours=2))
    capacity = 20
    is_public = False
    location = "Juniper General Hospital, room 3"

    @factory.post_generation
    def sectors(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create:
            for sector in extracted or [TrainingSector.HEALTH_CARE]:
                TrainingAudience.objects.create(training=self, sector=sector)
