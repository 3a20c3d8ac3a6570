"""Production settings: `check --deploy` is clean, and unsafe combinations refuse to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "deployment".
    unset = ("SECRET_KEY", "DEBUG", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        FACTCHECK_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def _production_env() -> dict[str, str]:
    return {
        "PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "example.org",
        "DEBUG": "false",
    }


def test_it_passes_check_deploy_without_a_single_warning(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", tmp_path=tmp_path, **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_with_debug_on(tmp_path):
    result = _manage("check", tmp_path=tmp_path, **{**_production_env(), "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_it_turns_on_https_only_cookies_and_hsts_in_production(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.STORAGES['staticfiles']['BACKEND'].endswith('CompressedManifestStaticFilesStorage'))"
    )
    result = _manage("shell", "--no-imports", "-c", script, tmp_path=tmp_path, **_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]


def test_debug_is_off_unless_asked_for(tmp_path):
    result = _manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)", tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
