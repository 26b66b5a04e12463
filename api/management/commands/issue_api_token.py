from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import User
from api.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a person and print it (shown once, stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Issued from the command line")

    def handle(self, *args: object, email: str, name: str, **options: object) -> None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with the email address {email}.")
        try:
            _, raw = api_token_create(user=user, name=name)
        except ValidationError as error:  # the de-identification guard refused the name (kinds only)
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(raw)
