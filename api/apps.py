from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from agencies.signals import access_ended
        from api.signals import tokens_revoke_on_access_ended

        # Agencies cannot import the api app (it sits below): it announces, the api app revokes.
        access_ended.connect(tokens_revoke_on_access_ended, dispatch_uid="api.tokens_revoke_on_access_ended")
