from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The service directory: each agency's service profile (needs served, languages, eligibility,
    hours, hand-off, capacity), the matching of a referral to the agencies that can help, and the
    public Open Referral HSDS export.

    It sits above `cases` (it reads the referral's coded vocabulary and uses the guard); `ready()`
    plugs its matcher into `cases.suggestions`, which the referral form and the API ask.
    """

    name = "directory"
    verbose_name = "Service directory"

    def ready(self) -> None:
        from cases.suggestions import receiver_suggester_register
        from directory.matching import suggest

        receiver_suggester_register(suggest)
