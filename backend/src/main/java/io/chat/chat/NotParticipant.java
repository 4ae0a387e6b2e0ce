package io.chat.chat;

import io.chat.system.NotFound;

/**
 * The user is not (or no longer) a participant of the chat, found where it is checked against the
 * database in the same transaction as the change: REST answers 404 as for any chat the caller may
 * not see, the socket closes with 4403.
 */
public class NotParticipant extends NotFound {

    public NotParticipant() {
        super("Chat not found");
    }
}
