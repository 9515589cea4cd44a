"""Give every amount criterion both ends of its scale, so no score depends on the other
offers on the table any more.

A criterion without floor and target gets a range suggested from the values its offers
hold (a floor that rules nothing out until the candidate sets one); one with a single
end gets the other. Each change is a ``criterion_changed`` entry in the decision's log,
by its owner, as the services write it. A criterion with nothing to suggest from (no value
yet, or only zeros) is left empty: the first value entered suggests its range.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import migrations

from decisions import compensation, kinds

FIRST_YEAR = "first_year"


def _pay(offer, basis: str) -> Decimal | None:
    package = compensation.Package(
        base_salary=offer.base_salary,
        bonus=offer.bonus,
        equity_per_year=offer.equity_per_year,
        signing_bonus=offer.signing_bonus,
        benefits_value=offer.benefits_value,
        vesting=offer.vesting,
        annual_raise=offer.annual_raise,
    )
    total = (
        compensation.first_year_total(package)
        if basis == FIRST_YEAR
        else compensation.annualised_total(package)
    )
    return compensation.in_currency(total, rate=offer.rate_to_base)


def _present(criterion, kind: kinds.Kind, Offer, Rating) -> list[float]:
    if kind.computed:
        basis = criterion.decision.pay_basis
        pays = (_pay(offer, basis) for offer in Offer.objects.filter(decision=criterion.decision))
        return [float(pay) for pay in pays if pay is not None]
    values = Rating.objects.filter(criterion=criterion, value__isnull=False)
    return [float(value) for value in values.values_list("value", flat=True)]


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def fix_scales(apps, schema_editor) -> None:
    Criterion = apps.get_model("decisions", "Criterion")
    Offer = apps.get_model("decisions", "Offer")
    Rating = apps.get_model("decisions", "Rating")
    LogEntry = apps.get_model("decisions", "LogEntry")
    open_ended = Criterion.objects.filter(kind__in=kinds.codes(anchors="floor_target")).exclude(
        floor__isnull=False, target__isnull=False
    )
    for criterion in open_ended.select_related("decision"):
        kind = kinds.get(criterion.kind)
        floor = None if criterion.floor is None else float(criterion.floor)
        target = None if criterion.target is None else float(criterion.target)
        present = _present(criterion, kind, Offer, Rating)
        anchors = kind.complete_anchors(floor, target, present)
        if floor is None and target is None and anchors is None:
            # Nothing to go on (no value, or only zeros): the first value suggests it.
            continue
        before = {"floor": _plain(criterion.floor), "target": _plain(criterion.target)}
        if anchors is None:
            criterion.floor = criterion.target = None
            summary = f"Cleared the one end set of “{criterion.name}”’s scale"
        else:
            criterion.floor, criterion.target = (Decimal(str(end)) for end in anchors)
            summary = f"Offerdesk fixed the scale of “{criterion.name}”"
        if floor is None and target is None:
            criterion.suggested_from = "offers"
            summary += ", suggested from the values entered so far"
        criterion.save(update_fields=["floor", "target", "suggested_from"])
        after = {"floor": _plain(criterion.floor), "target": _plain(criterion.target)}
        LogEntry.objects.create(
            decision=criterion.decision,
            author=criterion.decision.owner,
            kind="criterion_changed",
            summary=summary,
            data={
                "criterion": criterion.pk,
                "kind": criterion.kind,
                "changes": {
                    name: {"before": before[name], "after": after[name]}
                    for name in ("floor", "target")
                    if before[name] != after[name]
                },
                "suggested_from": criterion.suggested_from,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("decisions", "0007_criteria_floors_ranges_must_haves")]

    operations = [migrations.RunPython(fix_scales, migrations.RunPython.noop)]
