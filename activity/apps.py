from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """Task-force activity figures (investigations, arrests, charges, convictions, awareness, technical
    assistance) entered per quarter by the agencies that hold them.

    Its report measures (activity/report_measures.py) are loaded by ReportsConfig.ready(), which
    imports the `report_measures` module of every installed app, as it does for meetings and cases.
    """

    name = "activity"
    verbose_name = "Task-force activity"
