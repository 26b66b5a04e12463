from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from agencies.models import User
from digests.rendering import UnsafeContent, digest_message
from digests.schedule import zone
from digests.selectors import digest_preview
from toolkit.mail import in_language


class Command(BaseCommand):
    help = (
        "Show a person's next digest as it would be sent now (plain text, or --html). "
        "--send emails it to them marked as a preview; the schedule and the ledger are not touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's email address")
        parser.add_argument("--html", action="store_true", help="print the HTML part instead of the text part")
        parser.add_argument("--send", action="store_true", help="email the preview to the person")

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip().lower()
        person = User.objects.select_related("agency").filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"No person with the email address {email}.")
        with in_language(person):  # the sections' text in the person's language, as the real digest
            preview = digest_preview(person=person, now=timezone.now())
        when = "never"
        if preview.next_at is not None:
            when = preview.next_at.astimezone(zone(person.time_zone)).strftime("%a %Y-%m-%d %H:%M %Z")
        self.stderr.write(f"Frequency: {preview.frequency}; next digest: {when}; sections: {len(preview.sections)}")
        if not preview.sections:
            self.stderr.write("Nothing to tell this person now: an empty digest is not sent.")
            return
        try:
            message = digest_message(
                person=person,
                sections=preview.sections,
                window=preview.window,
                frequency=preview.frequency,
                preview=True,
            )
        except UnsafeContent as error:
            raise CommandError("This digest would carry case data and is refused.") from error
        # alternatives[0] is (content, mimetype); digest_message renders both parts to str.
        shown = message.alternatives[0][0] if options["html"] else message.body
        assert isinstance(shown, str)
        self.stdout.write(shown)
        if options["send"]:
            with get_connection() as connection:
                connection.send_messages([message])
            self.stderr.write(self.style.SUCCESS(f"Preview sent to {person.email}."))
