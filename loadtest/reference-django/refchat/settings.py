"""Production-like settings for the Django Channels reference server (benchmarking only)."""
import os
from datetime import timedelta

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SECRET_KEY = os.environ.get("REF_SECRET_KEY", "ref-django-secret-key-not-for-production-0123456789")
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "channels",
    "chat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "refchat.urls"
ASGI_APPLICATION = "refchat.asgi.application"
APPEND_SLASH = False  # URL patterns accept the path with and without the trailing slash

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("REF_DB_NAME", "ref_django"),
        "USER": os.environ.get("REF_DB_USER", "postgres"),
        "PASSWORD": os.environ.get("REF_DB_PASSWORD", ""),
        "HOST": os.environ.get("REF_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("REF_DB_PORT", "5432"),
        "CONN_MAX_AGE": int(os.environ.get("REF_CONN_MAX_AGE", "600")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [os.environ.get("REF_REDIS_URL", "redis://127.0.0.1:6379/0")]},
    }
}

# Django's default password hasher (PBKDF2-SHA256, 260000 iterations in Django 3.2).
AUTH_PASSWORD_VALIDATORS = []

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}

JWT_SECRET = os.environ.get("REF_JWT_SECRET", SECRET_KEY)
SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SECRET,
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("REF_ACCESS_TOKEN_MINUTES", "60"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "UPDATE_LAST_LOGIN": False,
}

CHAT_MAX_MESSAGE_LENGTH = 1000
CHAT_MAX_FRAME_BYTES = 64 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
