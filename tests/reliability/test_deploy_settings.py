"""Production settings: `check --deploy` is clean, and unsafe combinations refuse to start."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "factcheck" / "settings.py"
# The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "deployment".
UNSET = ("SECRET_KEY", "DEBUG", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT")


def _production_env() -> dict[str, str]:
    return {
        "PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "example.org",
        "DEBUG": "false",
    }


def _settings(monkeypatch, tmp_path, **env: str) -> dict:
    """The settings module evaluated afresh under ``env`` (the running Django is untouched)."""
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FACTCHECK_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_it_passes_check_deploy_without_a_single_warning(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in UNSET}
    environ.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        FACTCHECK_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        **_production_env(),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(monkeypatch, tmp_path):
    env = _production_env()
    del env["SECRET_KEY"]
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        _settings(monkeypatch, tmp_path, **env)


def test_it_refuses_to_start_in_production_with_debug_on(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be off"):
        _settings(monkeypatch, tmp_path, **{**_production_env(), "DEBUG": "true"})


def test_it_turns_on_https_only_cookies_and_hsts_in_production(monkeypatch, tmp_path):
    s = _settings(monkeypatch, tmp_path, **_production_env())
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_debug_is_off_and_cookies_are_plain_http_by_default(monkeypatch, tmp_path):
    s = _settings(monkeypatch, tmp_path)
    assert s["DEBUG"] is False
    assert "SESSION_COOKIE_SECURE" not in s  # local runs over http://127.0.0.1 keep working


def test_the_policy_and_limits_are_on_in_every_environment(monkeypatch, tmp_path):
    s = _settings(monkeypatch, tmp_path)
    assert "csp.middleware.CSPMiddleware" in s["MIDDLEWARE"]
    assert "annotations.middleware.TransientErrorMiddleware" in s["MIDDLEWARE"]
    assert s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert s["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1024 * 1024
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
