from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from cases.search import search_source_register
        from meetings.selectors import minutes_search_hits

        # The search of notes is in cases, below meetings: meetings adds its minutes to it.
        search_source_register(key="minutes", source=minutes_search_hits)
