import annotations.models
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


SEED = "seed"


def into_seed(apps, schema_editor):
    """Everything that exists joins the project ``seed``; annotators of the first round
    become its annotators (reviewers stay reviewers everywhere through their group)."""
    Project = apps.get_model("annotations", "Project")
    Membership = apps.get_model("annotations", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    seed, _ = Project.objects.get_or_create(
        slug=SEED,
        defaults={"name": "Seed corpus", "description": "The articles and vocabulary of the first round."},
    )
    for name in ("Article", "Label", "ClaimType", "Verdict"):
        apps.get_model("annotations", name).objects.filter(project__isnull=True).update(project=seed)
    annotators = User.objects.filter(groups__name="annotator").values_list("pk", flat=True).distinct()
    Membership.objects.bulk_create(
        [Membership(project=seed, user_id=pk, role="annotator") for pk in annotators], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0007_relations_and_dismissals"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Project",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(unique=True)),
                ("name", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True, max_length=5000)),
                ("guidelines", models.TextField(blank=True, help_text="Markdown; shown sanitised.", max_length=100000)),
                ("languages", models.JSONField(blank=True, default=list, help_text='BCP 47 tags, e.g. ["fr", "ar"].')),
                ("allow_overlap", models.BooleanField(default=True)),
                (
                    "annotators_per_article",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(50),
                        ],
                    ),
                ),
                ("suggestions", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["name", "slug"],
            },
        ),
        migrations.AddField(
            model_name="claimtype",
            name="retired",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="label",
            name="retired",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="verdict",
            name="retired",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="article",
            name="external_id",
            field=models.CharField(max_length=255),
        ),
        migrations.AlterField(
            model_name="claimtype",
            name="slug",
            field=models.SlugField(),
        ),
        migrations.AlterField(
            model_name="label",
            name="slug",
            field=models.SlugField(),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="slug",
            field=models.SlugField(),
        ),
        migrations.CreateModel(
            name="HistoricalProject",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("slug", models.SlugField()),
                ("name", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True, max_length=5000)),
                ("guidelines", models.TextField(blank=True, help_text="Markdown; shown sanitised.", max_length=100000)),
                ("languages", models.JSONField(blank=True, default=list, help_text='BCP 47 tags, e.g. ["fr", "ar"].')),
                ("allow_overlap", models.BooleanField(default=True)),
                (
                    "annotators_per_article",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(50),
                        ],
                    ),
                ),
                ("suggestions", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical project",
                "verbose_name_plural": "historical projects",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("annotator", "Annotator"), ("reviewer", "Reviewer"), ("manager", "Manager")],
                        default="annotator",
                        max_length=20,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="annotations.project",
                    ),
                ),
            ],
            options={
                "ordering": ["project_id", "user_id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalMembership",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("annotator", "Annotator"), ("reviewer", "Reviewer"), ("manager", "Manager")],
                        default="annotator",
                        max_length=20,
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="annotations.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical membership",
                "verbose_name_plural": "historical memberships",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="annotations.project",
            ),
        ),
        migrations.AddField(
            model_name="claimtype",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to="annotations.project",
            ),
        ),
        migrations.AddField(
            model_name="label",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to="annotations.project",
            ),
        ),
        migrations.AddField(
            model_name="verdict",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to="annotations.project",
            ),
        ),
        migrations.RunPython(into_seed, migrations.RunPython.noop),
    ]
