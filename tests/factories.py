from datetime import date

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from agencies.models import Agency, AgreementKind, DataSharingAgreement, Sector, User
from agencies.roles import Role

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Long before any date a test travels to: the factories' agreements are in force on every test day.
AGREEMENT_SIGNED_ON = date(2000, 1, 1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Sector.VICTIM_SERVICES
    county = "Juniper County"
    referral_prefix = "JUN"

    @factory.post_generation
    def with_agreement(self, create: bool, extracted: object, **kwargs: object) -> None:
        """A current data-sharing agreement covering referrals (and the rest), with no end date, so that
        the agency may send and receive referrals. `AgencyFactory(with_agreement=False)`: none."""
        if not create or extracted is False:
            return
        DataSharingAgreement.objects.create(
            agency=self,
            kind=AgreementKind.MOU,
            signed_on=AGREEMENT_SIGNED_ON,
            covers_referrals=True,
            covers_case_review=True,
            covers_reports=True,
        )


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
