"""One accepted offer per decision, and a confirmation's day only on a confirmed offer.

Before these constraints, an offer could be created accepted beside the one the
candidate chose, and taking back a confirmed acceptance kept its day. Rows already
like that are put right first, so that the constraints can be added:

- a decision with more than one accepted (or confirmed) offer keeps the acceptance of
  its chosen offer (or, if it chose none of them, of the one changed last); the others
  were never accepted through a decision, and are open again;
- a day of confirmation on an offer that is not confirmed is cleared (the log entry
  of the confirmation keeps it);
- a confirmed offer without its day takes the day it was last changed, the latest it
  can have been confirmed on.

Going back removes the constraints and leaves the rows as they are.
"""

from django.db import migrations, models
from django.utils import timezone

ACCEPTED = ["accepted", "confirmed"]


def put_right(apps, schema_editor):
    Offer = apps.get_model("decisions", "Offer")
    Decision = apps.get_model("decisions", "Decision")
    twice = (
        Offer.objects.filter(status__in=ACCEPTED)
        .values("decision")
        .annotate(count=models.Count("id"))
        .filter(count__gt=1)
        .values_list("decision", flat=True)
    )
    for decision in Decision.objects.filter(pk__in=list(twice)):
        accepted = list(Offer.objects.filter(decision=decision, status__in=ACCEPTED))
        kept = next(
            (offer for offer in accepted if offer.pk == decision.chosen_offer_id),
            max(accepted, key=lambda offer: (offer.updated_at, offer.pk)),
        )
        Offer.objects.filter(decision=decision, status__in=ACCEPTED).exclude(pk=kept.pk).update(
            status="open"
        )
    Offer.objects.exclude(status="confirmed").exclude(confirmed_on=None).update(confirmed_on=None)
    for offer in Offer.objects.filter(status="confirmed", confirmed_on=None):
        offer.confirmed_on = timezone.localdate(offer.updated_at)
        offer.save(update_fields=["confirmed_on"])
    if schema_editor.connection.vendor == "postgresql":
        # The updates leave deferred foreign-key checks pending, and PostgreSQL creates
        # no index in a transaction that has some: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0011_offer_acceptance_and_dates"),
    ]

    operations = [
        migrations.RunPython(put_right, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="offer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["accepted", "confirmed"])),
                fields=("decision",),
                name="offer_one_acceptance_per_decision",
                violation_error_message="A decision has one accepted offer at most.",
            ),
        ),
        migrations.AddConstraint(
            model_name="offer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("confirmed_on__isnull", False), ("status", "confirmed")),
                    models.Q(
                        models.Q(("status", "confirmed"), _negated=True),
                        ("confirmed_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="offer_confirmed_on_iff_confirmed",
                violation_error_message="Only a confirmed acceptance has a day it was "
                "confirmed in writing, and it always has one.",
            ),
        ),
    ]
