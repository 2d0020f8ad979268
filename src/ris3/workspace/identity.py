"""Users and API tokens: created through here, each with its audit record."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ris3.errors import InputError
from ris3.workspace.models import ApiToken
from ris3.workspace.services import audit


def create_user(
    email: str, password: str | None, *, superuser: bool = False, actor: Any = None
) -> Any:
    """Create a user whose name is the e-mail address (password validated)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user_model = get_user_model()
    if user_model.objects.filter(username=email).exists():
        raise InputError(f"a user {email} exists already")
    user = user_model(username=email, email=email, is_superuser=superuser, is_staff=superuser)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InputError("password rejected: " + " ".join(exc.messages)) from None
    with transaction.atomic():
        user.set_password(password) if password is not None else user.set_unusable_password()
        user.save()
        audit(
            actor, "create", user, strategy=None, after={"username": email, "superuser": superuser}
        )
    return user


def hash_token(token: str) -> str:
    """SHA-256 of a token (tokens are long random strings, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: Any) -> str:
    """Make an API token for ``user``; returns it once (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        t = ApiToken.objects.create(user=user, token_hash=hash_token(token), prefix=token[:8])
        audit(user, "create", t, strategy=None, after={"prefix": t.prefix})
    return token


def revoke_token(user: Any, token: str) -> None:
    """Revoke a token (it stops working at once)."""
    with transaction.atomic():
        t = ApiToken.objects.get(token_hash=hash_token(token))
        t.revoked_at = timezone.now()
        t.save()
        audit(user, "revoke", t, strategy=None, after={"prefix": t.prefix})
