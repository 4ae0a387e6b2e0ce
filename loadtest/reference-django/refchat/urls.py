from django.urls import re_path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from chat import views

# Each path works with and without its trailing slash (PROTOCOL.md section 2).
urlpatterns = [
    re_path(r"^api/auth/register/?$", views.RegisterView.as_view()),
    re_path(r"^api/token/?$", TokenObtainPairView.as_view()),
    re_path(r"^api/token/refresh/?$", TokenRefreshView.as_view()),
    re_path(r"^api/chats/?$", views.ChatListCreateView.as_view()),
]
