"""The note's tsvector as a stored generated column, GIN-indexed on PostgreSQL (see toolkit/fulltext.py).
It replaces the expression index of 0004, which made every search parse the notes it looked at."""

import django.contrib.postgres.search
from django.db import migrations, models

from toolkit import fulltext


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_note_fulltext_index")]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="note_search",
            field=models.GeneratedField(
                db_persist=True,
                expression=fulltext.SearchDocument("note", config="english"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        fulltext.gin_index(
            table="cases_referral",
            column="note_search",
            name="cases_referral_note_search",
            replaces="cases_referral_note_fulltext",
            replaced_expression="to_tsvector('english'::regconfig, COALESCE(\"note\", ''))",
        ),
    ]
