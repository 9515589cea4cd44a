
import django.core.validators
from decimal import Decimal
from django.db import migrations, models


# The registry's codes as they were when this migration was written; a later change
# to decisions/kinds.py gets its own migration.
FIXED_SCALE_KINDS = ["rating"]


def one_value_column(apps, schema_editor):
    """Every stored rating keeps the value the ranking used: the 0-10 score for a rating
    criterion, the amount for the others (a cell left from before a change of kind kept
    its old column, which the ranking ignored; it stays out of sight)."""
    Rating = apps.get_model("decisions", "Rating")
    ratings = Rating.objects.exclude(score__isnull=True, amount__isnull=True)
    for rating in ratings.select_related("criterion").iterator():
        fixed = rating.criterion.kind in FIXED_SCALE_KINDS
        rating.value = rating.score if fixed else rating.amount
        rating.save(update_fields=["value"])


def back_to_two_columns(apps, schema_editor):
    Rating = apps.get_model("decisions", "Rating")
    for rating in Rating.objects.exclude(value__isnull=True).select_related("criterion"):
        if rating.criterion.kind in FIXED_SCALE_KINDS:
            rating.score = rating.value
        else:
            rating.amount = rating.value
        rating.save(update_fields=["score", "amount"])


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0005_edit_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='rating',
            name='value',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(0, message='This can’t be negative.'), django.core.validators.MaxValueValidator(Decimal('100000000'), message='That is over 100,000,000: check for an extra zero.')]),
        ),
        migrations.RunPython(one_value_column, back_to_two_columns),
        migrations.RemoveConstraint(
            model_name='criterion',
            name='criterion_one_total_comp_per_decision',
        ),
        migrations.RemoveConstraint(
            model_name='criterion',
            name='criterion_floor_worse_than_target',
        ),
        migrations.RemoveConstraint(
            model_name='criterion',
            name='criterion_rating_has_no_anchors',
        ),
        migrations.RemoveConstraint(
            model_name='rating',
            name='rating_score_0_10',
        ),
        migrations.RemoveConstraint(
            model_name='rating',
            name='rating_amount_in_range',
        ),
        migrations.RemoveField(
            model_name='rating',
            name='amount',
        ),
        migrations.RemoveField(
            model_name='rating',
            name='score',
        ),
        migrations.AlterField(
            model_name='logentry',
            name='kind',
            field=models.CharField(choices=[('decision_created', 'Decision started'), ('decision_changed', 'Decision details changed'), ('decision_archived', 'Decision archived'), ('decision_reopened', 'Decision restored'), ('criterion_added', 'Criterion added'), ('criterion_changed', 'Criterion changed'), ('criterion_removed', 'Criterion removed'), ('criteria_reordered', 'Criteria reordered'), ('weights_changed', 'Weights changed'), ('offer_added', 'Offer added'), ('offer_changed', 'Offer changed'), ('offer_removed', 'Offer removed'), ('ratings_changed', 'Ratings changed'), ('decided', 'Decided'), ('message_drafted', 'Decline message drafted'), ('message_exported', 'Decline message exported'), ('message_sent', 'Decline message sent'), ('goal', 'Goal'), ('scenario', 'Scenario'), ('reflection', 'Reflection'), ('feeling', 'Feeling check-in'), ('look_back', 'Look back'), ('coach_comment', 'Coach comment'), ('coach_invited', 'Coach invited'), ('coach_joined', 'Coach joined'), ('coach_invitation_withdrawn', 'Coach invitation withdrawn'), ('coach_removed', 'Coach access ended'), ('coach_pay_visibility', 'Pay shown or hidden to a coach')], max_length=30),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['total_comp'])), fields=('decision',), name='criterion_one_computed_per_decision', violation_error_message='A decision has one computed compensation criterion.'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.CheckConstraint(condition=models.Q(('floor__isnull', True), ('target__isnull', True), models.Q(('floor__lt', models.F('target')), ('kind__in', ['rating', 'amount', 'total_comp'])), models.Q(('floor__gt', models.F('target')), ('kind__in', ['amount_low'])), _connector='OR'), name='criterion_floor_worse_than_target'),
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['rating']), _negated=True), models.Q(('floor__isnull', True), ('target__isnull', True)), _connector='OR'), name='criterion_fixed_scale_has_no_anchors'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('value__isnull', True), models.Q(('value__gte', 0), ('value__lte', Decimal('100000000'))), _connector='OR'), name='rating_value_in_range'),
        ),
    ]
