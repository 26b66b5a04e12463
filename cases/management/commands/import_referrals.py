from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import User
from cases.imports import COLUMNS, OPTIONAL_COLUMNS, referrals_import_csv


class Command(BaseCommand):
    help = (
        "Import referrals from a CSV file as a referral officer. Every row is checked (including the "
        "de-identification guard) before anything is written; then all rows are created, or none. "
        "The file must be UTF-8 CSV, within IMPORT_MAX_BYTES and IMPORT_MAX_ROWS. "
        f"Columns: {', '.join(COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)} (empty: a person new to the "
        "task force, for whom the portal issues a code)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--as", dest="email", required=True, help="The referral officer who sends them.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")

    def handle(self, *args: object, csv_file: Path, email: str, dry_run: bool, **options: object) -> None:
        actor = User.objects.filter(email__iexact=email, is_active=True).select_related("agency").first()
        if actor is None:
            raise CommandError(f"No active person with the email address {email}.")
        if not csv_file.is_file():
            raise CommandError(f"No such file: {csv_file}")
        # Opened as bytes: the import checks the encoding itself and says how to fix it.
        with csv_file.open("rb") as stream:
            report = referrals_import_csv(actor=actor, stream=stream, dry_run=dry_run)
        if report.errors:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError(f"Nothing was imported: {report.problems} problem(s) in {report.checked} row(s).")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"All {report.checked} row(s) are valid. Nothing was written (dry run).")
            )
            return
        codes = report.created
        listed = ", ".join(codes) if len(codes) <= 20 else f"{codes[0]} to {codes[-1]}"
        self.stdout.write(self.style.SUCCESS(f"Imported {len(codes)} referral(s): {listed}"))
        if report.people_new:
            # Never printed: a console's output can end up in logs. The referral's page shows its code.
            self.stdout.write(
                f"{report.people_new} person code(s) issued for people new to the task force: open each of "
                "these referrals in the portal and copy its person code into your own records."
            )
