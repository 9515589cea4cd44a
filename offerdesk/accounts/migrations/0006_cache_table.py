"""The database cache's table (settings.CACHES["default"]), where django-allauth counts
its rate limits: made by ``migrate`` so that no deployment can miss it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_email_addresses")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
