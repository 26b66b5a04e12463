from rest_framework.pagination import CursorPagination


class PortalCursorPagination(CursorPagination):
    """Cursor pagination: constant cost at any depth, no full-table COUNT."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"
