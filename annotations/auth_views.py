"""The sign-in page, with the login throttle's lock shown as a form error (HTTP 429)."""

from __future__ import annotations

import math

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError

from annotations.throttle import LoginLocked


class ThrottledAuthenticationForm(AuthenticationForm):
    locked: LoginLocked | None = None

    def clean(self):
        try:
            return super().clean()
        except LoginLocked as exc:
            self.locked = exc
            raise ValidationError(exc.message, code="login_locked") from None


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        locked = getattr(form, "locked", None)
        if locked is not None:
            response.status_code = 429
            response["Retry-After"] = str(max(1, math.ceil(locked.wait or 1)))
        return response
