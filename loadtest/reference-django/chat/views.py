from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Chat
from .serialize import chat_data, user_data

User = get_user_model()
PROBLEM = "application/problem+json"


def problem(status_code, detail, errors=None):
    body = {"type": "about:blank", "title": "Bad Request" if status_code == 400 else "Error",
            "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM)


class RegisterView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        username, password = data.get("username"), data.get("password")
        first_name, last_name = data.get("first_name", ""), data.get("last_name", "")
        errors = {}
        if not isinstance(username, str) or not username:
            errors["username"] = "This field is required."
        else:
            try:
                UnicodeUsernameValidator()(username)
                if len(username) > 150:
                    raise ValidationError("too long")
            except ValidationError:
                errors["username"] = "Enter a valid username."
        if not isinstance(password, str) or len(password) < 8:
            errors["password"] = "Password must be at least 8 characters."
        if not isinstance(first_name, str) or len(first_name) > 150:
            errors["first_name"] = "Invalid first name."
        if not isinstance(last_name, str) or len(last_name) > 150:
            errors["last_name"] = "Invalid last name."
        if errors:
            return problem(400, "Invalid registration data", errors)
        try:
            with transaction.atomic():
                user = User.objects.create_user(username=username, password=password,
                                                first_name=first_name, last_name=last_name)
        except IntegrityError:
            return problem(400, "Username is already taken", {"username": "A user with that username already exists."})
        return Response(user_data(user), status=status.HTTP_201_CREATED)


class ChatListCreateView(APIView):
    def get(self, request):
        chats = request.user.chats.prefetch_related("participants").order_by("-id")
        return Response([chat_data(c, list(c.participants.all())) for c in chats])

    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        name = data.get("name") or ""
        ids = data.get("participant_ids", [])
        if not isinstance(name, str) or len(name) > 255:
            return problem(400, "Invalid chat data", {"name": "Invalid name."})
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            return problem(400, "Invalid chat data", {"participant_ids": "A list of user ids is required."})
        wanted = set(ids) | {request.user.id}
        participants = list(User.objects.filter(id__in=wanted).order_by("id"))
        if len(participants) != len(wanted):
            return problem(400, "Invalid chat data", {"participant_ids": "Unknown user id."})
        with transaction.atomic():
            chat = Chat.objects.create(name=name)
            chat.participants.add(*participants)
        return Response(chat_data(chat, participants), status=status.HTTP_201_CREATED)
