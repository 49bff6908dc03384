"""Introductions name the mentee introduced (in a group, any of its mentees). Existing ones
introduced the mentorship's first mentee, the only one who could be introduced then."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_mentee(apps, schema_editor):  # type: ignore[no-untyped-def]
    Introduction = apps.get_model("mentorships", "Introduction")
    Mentorship = apps.get_model("mentorships", "Mentorship")
    Introduction.objects.filter(mentee__isnull=True).update(
        mentee=Subquery(
            Mentorship.objects.filter(pk=OuterRef("mentorship_id")).values("mentee_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mentorships", "0009_meeting_series"),
        ("people", "0004_read_skills"),
    ]

    operations = [
        migrations.AddField(
            model_name="introduction",
            name="mentee",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="introductions_of_me",
                to="people.person",
            ),
        ),
        migrations.RunPython(fill_mentee, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="introduction",
            name="mentee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="introductions_of_me",
                to="people.person",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="introduction", name="one_introduction_per_colleague"
        ),
        migrations.AddConstraint(
            model_name="introduction",
            constraint=models.UniqueConstraint(
                fields=("mentorship", "mentee", "colleague"),
                name="one_introduction_per_mentee_and_colleague",
            ),
        ),
    ]
