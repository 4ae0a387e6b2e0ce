def user_data(user):
    return {"id": user.id, "username": user.username, "first_name": user.first_name, "last_name": user.last_name}


def timestamp(dt):
    """RFC 3339 in UTC with Z (USE_TZ=True stores aware UTC datetimes)."""
    return dt.isoformat().replace("+00:00", "Z")


def message_data(message, sender):
    return {
        "id": message.id,
        "text": message.text,
        "sender": user_data(sender),
        "timestamp": timestamp(message.timestamp),
        "is_edited": message.is_edited,
        "is_deleted": message.is_deleted,
    }


def chat_data(chat, participants):
    return {
        "id": chat.id,
        "name": chat.name,
        "participants": [user_data(u) for u in participants],
        "last_message": None,
        "unread_count": 0,
        "created_at": timestamp(chat.created_at),
    }
