"""One accepted offer per decision, and a confirmation's day only on a confirmed offer.

Before these constraints, an offer could be created accepted beside the one the
candidate chose, and taking back a confirmed acceptance kept its day. Rows already
like that are put right first, so that the constraints can be added:

- an accepted (or confirmed) offer that is not its decision's chosen one was never
  accepted through a decision (the offer form could set the status): it is open again,
  with an entry in the decision's log saying so, as the import does for such a file;
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
    LogEntry = apps.get_model("decisions", "LogEntry")
    unchosen = (
        Offer.objects.filter(status__in=ACCEPTED)
        .exclude(decision__chosen_offer=models.F("pk"))
        .select_related("decision")
    )
    for offer in unchosen:
        LogEntry.objects.create(
            decision=offer.decision,
            author_id=offer.decision.owner_id,
            kind="offer_changed",
            summary=f"{offer.company}’s offer is open again: only the offer a decision "
            "chose can be accepted",
            data={
                "offer": offer.pk,
                "changes": {"status": {"before": offer.status, "after": "open"}},
            },
        )
        Offer.objects.filter(pk=offer.pk).update(
            status="open", confirmed_on=None, version=models.F("version") + 1
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
