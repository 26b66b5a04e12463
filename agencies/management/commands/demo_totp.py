from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies import demo


class Command(BaseCommand):
    help = "Print the current code of the documented demo authenticator (development only)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo authenticator exists only on a development setup.")
        self.stdout.write(demo.current_demo_code())
