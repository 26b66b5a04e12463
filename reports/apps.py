from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from reports import checks  # noqa: F401 - registers the system checks

        # Every installed app may offer measures in a `report_measures` module (reports/measures.py).
        autodiscover_modules("report_measures")
