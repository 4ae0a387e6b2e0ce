#!/bin/sh
# Applies migrations, then runs daphne in the foreground on 127.0.0.1:8001 (override with REF_HOST/REF_PORT).
set -e
cd "$(dirname "$0")"
export DJANGO_SETTINGS_MODULE=refchat.settings
/usr/bin/python3 manage.py migrate --noinput -v 0
exec /usr/bin/python3 -m daphne -b "${REF_HOST:-127.0.0.1}" -p "${REF_PORT:-8001}" \
    --ping-interval 25 --ping-timeout 60 -v 0 refchat.asgi:application
