from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The login throttle keeps its counters in the database cache: with the table made
    # here, the standard `migrate` gives a working sign-in (no createcachetable step).
    # The command skips a table that already exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0002_default_vocabulary")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
