from django.core.management.base import BaseCommand

from agencies import demo


class Command(BaseCommand):
    help = "Load the fictional demo task force (idempotent: running it again changes nothing)."

    def handle(self, *args: object, **options: object) -> None:
        agencies = demo.seed_agencies_and_people()
        self.stdout.write(f"Demo agencies: {len(agencies)}; demo logins: {len(demo.LOGINS)}.")
        for extra in self._extra_seeders():
            extra(agencies=agencies, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo password for every login: {demo.DEMO_PASSWORD}"))

    def _extra_seeders(self) -> list:
        """Each app that has demo data offers `seed(agencies=..., stdout=...)` in its demo module."""
        from importlib import import_module

        seeders = []
        for app in ("directory", "cases", "meetings", "activity", "digests", "reports", "home"):
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise  # a broken import inside the demo module must not pass silently
                continue
            seeders.append(module.seed)
        return seeders
