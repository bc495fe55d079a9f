"""The claim's enrollment (培训报名) as a typed column, filled for existing claims from their event keys."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 5_000


def enrollment_of(keys):
    for key in keys or ():
        kind, _, ref = str(key).partition(":")
        if kind == "enrollment":
            try:
                return uuid.UUID(ref.split("#", 1)[0])
            except ValueError:
                return None
    return None


def fill_enrollment(apps, schema_editor):
    Claim = apps.get_model("subsidies", "Claim")
    Enrollment = apps.get_model("training", "Enrollment")
    last = None
    while True:
        qs = Claim.objects.order_by("pk")
        if last is not None:
            qs = qs.filter(pk__gt=last)
        rows = list(qs.values_list("pk", "event_key", "event_keys")[:CHUNK])
        if not rows:
            return
        last = rows[-1][0]
        wanted = {pk: enrollment_of([key, *(keys or [])]) for pk, key, keys in rows}
        known = set(Enrollment.objects.filter(pk__in={e for e in wanted.values() if e}).values_list("pk", flat=True))
        updates = [Claim(pk=pk, enrollment_id=e) for pk, e in wanted.items() if e in known]
        Claim.objects.bulk_update(updates, ["enrollment"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0001_initial"),
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="enrollment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="training.enrollment",
            ),
        ),
        migrations.RunPython(fill_enrollment, migrations.RunPython.noop),
    ]
