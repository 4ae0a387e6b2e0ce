package io.chat.chat;

/** The kinds of event that change a chat's state and take a number of its event sequence. */
public enum ChatEventType {

    MESSAGE("message"),
    MESSAGE_UPDATED("message_updated"),
    MESSAGE_DELETED("message_deleted"),
    MESSAGES_READ("messages_read");

    private final String wireName;

    ChatEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The frame's {@code type}, also what the {@code chat_events.type} column holds. */
    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException for a name that is none of these */
    public static ChatEventType ofWireName(String name) {
        for (ChatEventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown chat event type " + name);
    }
}
