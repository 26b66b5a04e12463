from rest_framework import serializers

from agencies.models import Agency, User
from agencies.roles import Action


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
        fields = ["id", "email", "first_name", "last_name", "role", "role_label", "agency", "permissions"]
        read_only_fields = fields

    def get_permissions(self, user: User) -> list[str]:
        return sorted(action.value for action in Action if user.can(action))
