"""WebSocket /ws/chat/{chat_id}/ as PROTOCOL.md section 1 describes it (subset, see README.md)."""
import asyncio
import json
import time
from urllib.parse import parse_qs

import jwt
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model

from .models import Chat, Message
from .serialize import message_data

User = get_user_model()


def dumps(frame):
    # Compact JSON, "type" first: the load tool recognises frames by the prefix {"type":"message"
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def token_from_scope(scope):
    """The Authorization: Bearer header wins over ?token=."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            parts = value.decode("latin-1").split(None, 1)
            if len(parts) == 2 and parts[0].lower() == "bearer":
                return parts[1].strip()
            return None
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def decode_access_token(token):
    """HS256, SimpleJWT-compatible claims; returns (user_id, exp) or None."""
    try:
        claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"], options={"require": ["exp"]})
    except jwt.PyJWTError:
        return None
    if "token_type" in claims and claims["token_type"] != "access":
        return None
    user_id = claims.get("user_id", claims.get("sub"))
    try:
        return int(user_id), float(claims["exp"])
    except (TypeError, ValueError):
        return None


@database_sync_to_async
def load_user(user_id):
    return User.objects.filter(id=user_id, is_active=True).first()


@database_sync_to_async
def is_participant(chat_id, user_id):
    return Chat.participants.through.objects.filter(chat_id=chat_id, user_id=user_id).exists()


@database_sync_to_async
def store_message(chat_id, user_id, text):
    return Message.objects.create(chat_id=chat_id, sender_id=user_id, text=text)


class ChatConsumer(AsyncWebsocketConsumer):
    group_name = None
    user = None
    expiry_timer = None

    async def connect(self):
        self.chat_id = int(self.scope["url_route"]["kwargs"]["chat_id"])
        await self.accept()
        token = token_from_scope(self.scope)
        decoded = decode_access_token(token) if token else None
        user = await load_user(decoded[0]) if decoded else None
        if user is None:
            await self.close_with(4401, "Invalid token")
            return
        if not await is_participant(self.chat_id, user.id):
            await self.close_with(4403, "Access denied")
            return
        self.user = user
        self.group_name = f"chat_{self.chat_id}"
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        self.expiry_timer = asyncio.get_running_loop().call_later(
            max(0.0, decoded[1] - time.time()),
            lambda: asyncio.ensure_future(self.close_with(4401, "Token expired")),
        )
        await self.send(text_data=dumps(
            {"type": "connection_established", "message": "Successfully connected to chat", "chat_id": self.chat_id}))

    async def disconnect(self, code):
        if self.expiry_timer is not None:
            self.expiry_timer.cancel()
        if self.group_name is not None:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def close_with(self, code, reason):
        await self.base_send({"type": "websocket.close", "code": code, "reason": reason})

    async def error(self, message):
        await self.send(text_data=dumps({"type": "error", "message": message}))

    async def receive(self, text_data=None, bytes_data=None):
        if self.user is None:
            return
        if text_data is None:
            await self.close_with(1003, "Binary frames are not supported")
            return
        if len(text_data.encode("utf-8")) > settings.CHAT_MAX_FRAME_BYTES:
            await self.close_with(1009, "Frame too large")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            frame = None
        if not isinstance(frame, dict):
            await self.error("Invalid JSON format")
            return
        kind = frame.get("type")
        if not isinstance(kind, str):
            await self.error("Message type is required")
        elif kind == "message":
            await self.on_message(frame)
        elif kind == "typing":
            await self.on_typing(frame)
        elif kind == "read_messages":
            await self.channel_layer.group_send(self.group_name, {
                "type": "chat.read", "sender_channel": self.channel_name,
                "user_id": self.user.id, "username": self.user.username})
        else:
            await self.error(f"Unknown message type: {kind}")

    async def on_message(self, frame):
        text = frame.get("text")
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            await self.error("Message text cannot be empty")
            return
        if len(text) > settings.CHAT_MAX_MESSAGE_LENGTH:
            await self.error(f"Message text cannot exceed {settings.CHAT_MAX_MESSAGE_LENGTH} characters")
            return
        if "\x00" in text:
            await self.error("Message text contains invalid characters")
            return
        message = await store_message(self.chat_id, self.user.id, text)
        await self.channel_layer.group_send(
            self.group_name, {"type": "chat.message", "data": message_data(message, self.user)})

    async def on_typing(self, frame):
        is_typing = frame.get("is_typing")
        if not isinstance(is_typing, bool):
            await self.error("Field is_typing must be true or false")
            return
        await self.channel_layer.group_send(self.group_name, {
            "type": "chat.typing", "sender_channel": self.channel_name,
            "user_id": self.user.id, "username": self.user.username, "is_typing": is_typing})

    # group event handlers
    async def chat_message(self, event):
        await self.send(text_data=dumps({"type": "message", "data": event["data"]}))

    async def chat_typing(self, event):
        if event["sender_channel"] != self.channel_name:
            await self.send(text_data=dumps({"type": "typing", "user_id": event["user_id"],
                                             "username": event["username"], "is_typing": event["is_typing"]}))

    async def chat_read(self, event):
        if event["sender_channel"] != self.channel_name:
            await self.send(text_data=dumps(
                {"type": "messages_read", "user_id": event["user_id"], "username": event["username"]}))
