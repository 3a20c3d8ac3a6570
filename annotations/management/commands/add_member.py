"""manage.py add_member PROJECT USERNAME ROLE: add a member or change their role (idempotent)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.models import Project, Role
from annotations.projects.services import LastManager, membership_set


class Command(BaseCommand):
    help = "Add USERNAME to the project PROJECT (its slug) as ROLE, or change their role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("project", help="Project slug, e.g. seed.")
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args, project: str, username: str, role: str, **options):
        found = Project.objects.filter(slug=project).first()
        if found is None:
            known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise CommandError(f"Unknown project {project!r} (projects: {known or 'none'}).")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Unknown user {username!r}; create it first (manage.py createsuperuser or the admin).")
        try:
            _, outcome = membership_set(project=found, user=user, role=role)
        except (ValidationError, LastManager) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(f"{username} is a {role} of {found.slug} ({outcome}).")
