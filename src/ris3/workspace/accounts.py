"""Login with throttling: after too many failures a user name (or address) is locked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import LoginFailure
from ris3.workspace.permissions import PAGES


def client_address(request: HttpRequest) -> str:
    """Return the client's address as the server saw it (a proxy's header is not trusted)."""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def is_locked(username: str, address: str) -> bool:
    """Whether recent failures for the user name or the address reach the limit."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    by_name = recent.filter(username=username.lower()).count()
    # an address gets more room than a name: several people may share one
    by_address = recent.filter(address=address).count() if address else 0
    return by_name >= limit or by_address >= 4 * limit


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form that refuses locked user names and counts failures."""

    locked_message = _(
        "Too many failed logins: this account is locked for a while. Try again later."
    )

    def clean(self) -> dict[str, Any]:
        """Refuse a locked-out user or address; record every failed sign-in."""
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request) if self.request else ""
        if is_locked(username, address):
            raise forms.ValidationError(self.locked_message, code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username.lower(), address=address)
            raise


class ThrottledLoginView(LoginView):
    """The sign-in page, with sign-ins throttled after repeated failures."""

    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Answer 405 to a method the sign-in page does not allow."""
        if request.method not in PAGES["login"]:
            from django.http import HttpResponseNotAllowed

            return HttpResponseNotAllowed(sorted(PAGES["login"]))
        return super().dispatch(request, *args, **kwargs)


login_view = ThrottledLoginView.as_view()
logout_view = LogoutView.as_view()
