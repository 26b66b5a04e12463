"""Service profiles for the directory's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from directory.models import Capacity, ServiceProfile
from tests.factories import AgencyFactory


class ServiceProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProfile

    agency = factory.SubFactory(AgencyFactory)
    description = "Services for survivors of trafficking."
    needs = factory.LazyFunction(lambda: ["shelter"])
    languages = factory.LazyFunction(lambda: ["en"])
    capacity = Capacity.ACCEPTING
    capacity_confirmed_at = factory.LazyFunction(timezone.now)
    intake_role = "Intake coordinator"
    intake_phone = "555-0100"
