"""The minutes' tsvector as a stored generated column, GIN-indexed on PostgreSQL (see toolkit/fulltext.py).
It replaces the expression index of 0002, which made every search parse the minutes it looked at."""

import django.contrib.postgres.search
from django.db import migrations, models

from toolkit import fulltext


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_minutes_fulltext_index")]

    operations = [
        migrations.AddField(
            model_name="minutes",
            name="body_search",
            field=models.GeneratedField(
                db_persist=True,
                expression=fulltext.SearchDocument("body", config="english"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        fulltext.gin_index(
            table="meetings_minutes",
            column="body_search",
            name="meetings_minutes_body_search",
            replaces="meetings_minutes_body_fulltext",
            replaced_expression="to_tsvector('english'::regconfig, COALESCE(\"body\", ''))",
        ),
    ]
