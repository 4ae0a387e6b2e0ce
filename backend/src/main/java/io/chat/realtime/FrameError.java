package io.chat.realtime;

import java.util.Locale;

import io.chat.message.MessageRejected;

/**
 * Why a client frame was answered with an {@code error} frame, as a short key for the metric of
 * rejected frames: the frame's text may echo client input (an unknown type), the key never does.
 * Each key stands for one of the contract's error texts; texts with a placeholder match up to it.
 */
enum FrameError {

    INVALID_JSON(InvalidFrame.INVALID_JSON),
    TYPE_REQUIRED(InvalidFrame.TYPE_REQUIRED),
    UNKNOWN_TYPE(InvalidFrame.UNKNOWN_TYPE),
    INVALID_IS_TYPING(InvalidFrame.IS_TYPING_BOOLEAN),
    EMPTY_TEXT(MessageRejected.EMPTY),
    TEXT_TOO_LONG(MessageRejected.TOO_LONG),
    INVALID_CHARACTERS(MessageRejected.INVALID_CHARACTERS),
    INVALID_CLIENT_ID(MessageRejected.INVALID_CLIENT_ID),
    MESSAGE_NOT_FOUND(MessageRejected.NOT_FOUND),
    NOT_AUTHOR(MessageRejected.NOT_AUTHOR),
    RATE_LIMITED(MessageRejected.RATE_LIMITED),
    INTERNAL_ERROR(ServerFrames.INTERNAL_ERROR),
    /** Any other refusal (a failure the contract does not list for frames). */
    OTHER(null);

    /** The error text, or the part before its placeholder; null for {@link #OTHER}. */
    private final String text;
    private final boolean prefix;

    FrameError(String text) {
        int placeholder = text == null ? -1 : text.indexOf('%');
        this.text = placeholder < 0 ? text : text.substring(0, placeholder);
        this.prefix = placeholder >= 0;
    }

    /** The metric's tag value: {@code invalid_json}, {@code rate_limited}... */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FrameError of(String errorText) {
        for (FrameError error : values()) {
            if (error.text != null && (error.prefix ? errorText.startsWith(error.text)
                    : errorText.equals(error.text))) {
                return error;
            }
        }
        return OTHER;
    }
}
