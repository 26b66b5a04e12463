import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from agencies.models import Agency, Sector, User
from agencies.roles import Role

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Sector.VICTIM_SERVICES
    county = "Juniper County"
    referral_prefix = "JUN"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@agency.example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.MEMBER
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def with_mfa(self, create: bool, extracted: object, **kwargs: object) -> None:
        """People whose role needs MFA get an authenticator, as they would after enrolment."""
        if not create:
            return
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        wants = self.requires_mfa if extracted is None else bool(extracted)
        if wants and not Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(self, TEST_TOTP_SECRET)
            RecoveryCodes.activate(self)
