"""Create the local login for a single-machine workbench and print it."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from annotations.models import Project, Role, seed_project_pk
from annotations.projects.services import membership_set


class Command(BaseCommand):
    help = "Create a local annotator login (random password, printed) unless one exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="ana")

    def handle(self, *args, username: str, **options):
        password_file = settings.VAR_DIR / "local-login.txt"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            # The local login does everything: annotate, review and use the admin.
            user = User.objects.create_superuser(username, f"{username}@localhost", password)
            for name in ("annotator", "reviewer"):
                user.groups.add(Group.objects.get_or_create(name=name)[0])
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(f"{username} {password}\n")
            password_file.chmod(0o600)
        # bin/serve opens on the seed project: its local login manages it.
        membership_set(project=Project.objects.get(pk=seed_project_pk()), user=user, role=Role.MANAGER)
        if password_file.exists():
            name, password = password_file.read_text().split()
            self.stdout.write(f"Local login: username {name}  password {password}  (kept in {password_file})")
        else:
            self.stdout.write(f"User {username} exists; reset its password with: manage.py changepassword {username}")
