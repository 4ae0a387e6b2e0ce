import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refchat.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from chat import daphne_close_reason  # noqa: E402
from chat.consumers import ChatConsumer  # noqa: E402

daphne_close_reason.install()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter([re_path(r"^ws/chat/(?P<chat_id>\d+)/?$", ChatConsumer.as_asgi())]),
    }
)
