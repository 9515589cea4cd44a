import django.db.models.deletion
from django.db import migrations, models

PURPOSES = [
    ("decline", "Decline the offer"),
    ("accept", "Accept the offer"),
    ("counter", "Ask for a better offer"),
    ("extension", "Ask for more time"),
    ("withdraw", "Withdraw your acceptance"),
    ("still_open", "Ask whether the offer is still open"),
    ("keep_in_touch", "Stay in touch"),
]


class Migration(migrations.Migration):
    """A message has a purpose: every saved message so far is a decline."""

    dependencies = [
        ("decisions", "0001_initial"),
        ("messaging", "0002_single_line_text"),
    ]

    operations = [
        migrations.RenameModel(old_name="DeclineMessage", new_name="Message"),
        migrations.AlterField(
            model_name="message",
            name="offer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="decisions.offer",
            ),
        ),
        migrations.AddField(
            model_name="message",
            name="purpose",
            field=models.CharField(choices=PURPOSES, default="decline", max_length=16),
        ),
        migrations.AddField(
            model_name="message",
            name="details",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                fields=("offer", "purpose"), name="message_one_per_purpose"
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("purpose__in", [code for code, _ in PURPOSES])),
                name="message_purpose_valid",
            ),
        ),
    ]
