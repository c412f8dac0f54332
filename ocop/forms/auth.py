"""The login form, with the Bootstrap look of every other form."""
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def username_failures(username: str, request=None) -> int:
    """Failed logins for `username` within the lockout's cool-off, from every address together."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off(request)
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginForm(AuthenticationForm):
    """django-axes locks a username at one address after AXES_FAILURE_LIMIT failures there, so that a stranger
    cannot lock a user out from elsewhere; failures of one username from many addresses together lock it at the
    higher OCOP_LOGIN_USERNAME_FAILURE_LIMIT (a spread guessing attack)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "username_locked": _("Too many failed logins for this account from several places: it is locked for a "
                             "while. Try again later or ask your administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and username_failures(username, self.request) >= settings.OCOP_LOGIN_USERNAME_FAILURE_LIMIT:
            raise ValidationError(self.error_messages["username_locked"], code="username_locked")
        return super().clean()
