from rest_framework import serializers

from agencies.models import Agency, User
from agencies.roles import Action


class AbsentAsNullURLField(serializers.URLField):
    """A link the model stores as "" when there is none (a blank URLField): "" is not a URI, so a client
    reading the schema's `format: uri` would refuse it. Absent is null, as everywhere in the API."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(allow_null=True, read_only=True, **kwargs)  # type: ignore[arg-type]

    def to_representation(self, value: str) -> str | None:  # type: ignore[override]  # null: allow_null
        return value or None


class AgencySerializer(serializers.ModelSerializer):
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "sector",
            "sector_label",
            "county",
            "is_cochair",
            "is_confidential_provider",
            "is_active",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "role_label", "agency", "permissions", "language"]
        read_only_fields = [name for name in fields if name != "language"]

    def update(self, instance: User, validated_data: dict[str, object]) -> User:
        from agencies.language import save_language

        if "language" in validated_data:
            save_language(person=instance, language=str(validated_data["language"]))
        return instance

    def get_permissions(self, user: User) -> list[str]:
        return sorted(action.value for action in Action if user.can(action))
