"""Every existing account gets django-allauth's record of its address: checked where a
coach accepted an invitation sent to it (the link was the check), otherwise unchecked,
and the account is asked to confirm it. Limits allauth now counts are cleared."""

from django.db import migrations

MOVED_TO_ALLAUTH = ["reset:address", "reset:ip", "signup:ip", "email:user", "account-mail:address"]


def create_email_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    CoachInvitation = apps.get_model("decisions", "CoachInvitation")
    checked = {
        (user_id, email.strip().lower())
        for user_id, email in CoachInvitation.objects.filter(
            accepted_by__isnull=False
        ).values_list("accepted_by_id", "email")
    }
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(
            user_id=user.pk,
            email=user.email.lower(),
            primary=True,
            verified=(user.pk, user.email.strip().lower()) in checked,
        )
        for user in User.objects.exclude(email="").exclude(pk__in=have).only("pk", "email")
    )
    apps.get_model("accounts", "Attempt").objects.filter(action__in=MOVED_TO_ALLAUTH).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_email_records"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("decisions", "0010_single_line_text"),
    ]

    operations = [migrations.RunPython(create_email_addresses, migrations.RunPython.noop)]
