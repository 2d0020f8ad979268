"""Django settings of the workspace, built from the environment.

The command line sets the variables before Django starts:

``RIS3_WORKSPACE_DIR``
    The workspace folder: the SQLite database (``workspace.sqlite3``, WAL
    mode) and the instance's secret key (``secret_key``) live there.
``RIS3_DATABASE_URL``
    ``postgresql://user:password@host:port/name``; when set, the database is
    PostgreSQL and the folder keeps only the secret key.
``RIS3_WORKSPACE_DEBUG``
    ``1`` for development (insecure cookies, detailed error pages).
``RIS3_WORKSPACE_ALLOWED_HOSTS``
    Comma-separated host names the server answers to (default: loopback).
"""

from __future__ import annotations

import os
from pathlib import Path

from ris3.workspace.parts import PARTS
from ris3.workspace.runtime import database_settings, read_secret_key

BASE_DIR = Path(__file__).resolve().parent
WORKSPACE_DIR = Path(os.environ.get("RIS3_WORKSPACE_DIR", ".")).resolve()
DEBUG = os.environ.get("RIS3_WORKSPACE_DEBUG", "") == "1"
SECRET_KEY = read_secret_key(WORKSPACE_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("RIS3_WORKSPACE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ris3.workspace.apps.WorkspaceConfig",
    *(f"ris3.workspace.{part}" for part in PARTS),
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "ris3.workspace.urls"
WSGI_APPLICATION = "ris3.workspace.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": database_settings(WORKSPACE_DIR, os.environ.get("RIS3_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = WORKSPACE_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# secure by default; only a development run relaxes cookies
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS is terminated by a reverse proxy in production; set these there
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # the WSGI server listens on loopback behind a TLS proxy; redirects and
    # HSTS belong to the proxy
    "security.W004",
    "security.W008",
]

#: failed logins per user name (or client address) before the account is locked
LOGIN_FAILURE_LIMIT = 5
#: minutes a lock lasts, and the window failures are counted in
LOGIN_LOCK_MINUTES = 15
