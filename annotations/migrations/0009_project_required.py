import django.db.models.deletion
from django.db import migrations, models

import annotations.models


class Migration(migrations.Migration):
    """Every row now has a project (0008 filled them in): make it required, and make slugs
    and external ids unique within a project. A migration of its own: PostgreSQL refuses to
    alter a table in the transaction that just updated its rows."""

    dependencies = [
        ("annotations", "0008_projects"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                default=annotations.models.seed_project_pk,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="annotations.project",
            ),
        ),
        migrations.AlterField(
            model_name="claimtype",
            name="project",
            field=models.ForeignKey(
                default=annotations.models.seed_project_pk,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to="annotations.project",
            ),
        ),
        migrations.AlterField(
            model_name="label",
            name="project",
            field=models.ForeignKey(
                default=annotations.models.seed_project_pk,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to="annotations.project",
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="project",
            field=models.ForeignKey(
                default=annotations.models.seed_project_pk,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to="annotations.project",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("project", "external_id"), name="article_external_id_unique_in_project"
            ),
        ),
        migrations.AddConstraint(
            model_name="claimtype",
            constraint=models.UniqueConstraint(fields=("project", "slug"), name="claimtype_slug_unique_in_project"),
        ),
        migrations.AddConstraint(
            model_name="label",
            constraint=models.UniqueConstraint(fields=("project", "slug"), name="label_slug_unique_in_project"),
        ),
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.UniqueConstraint(fields=("project", "slug"), name="verdict_slug_unique_in_project"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(fields=("project", "user"), name="one_membership_per_pair"),
        ),
    ]
