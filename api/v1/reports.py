from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
