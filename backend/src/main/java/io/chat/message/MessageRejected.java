package io.chat.message;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

import io.chat.system.ApiException;

/**
 * A send, edit or delete refused for a reason the contract names; the message is the exact text of
 * the error frame (socket) and the problem's detail (REST).
 */
public class MessageRejected extends ApiException {

    public static final String EMPTY = "Message text cannot be empty";
    public static final String INVALID_CHARACTERS = "Message text contains invalid characters";
    public static final String NOT_FOUND = "Message not found";
    public static final String NOT_AUTHOR = "You can only change your own messages";
    public static final String INVALID_CLIENT_ID = "Field client_id must be a string of 1 to 64 characters";
    /** Format; {@code %d} is {@code chat.limits.max-message-length}. */
    public static final String TOO_LONG = "Message text cannot exceed %d characters";
    /** Format; {@code %d} is {@code chat.limits.messages-per-minute}. */
    public static final String RATE_LIMITED = "Rate limit exceeded: at most %d messages per minute";

    /** The request field the failure is about, for REST's {@code errors}; null when none is. */
    private final String field;

    MessageRejected(HttpStatus status, String message) {
        this(status, message, null);
    }

    MessageRejected(HttpStatus status, String message, String field) {
        super(status, message);
        this.field = field;
    }

    @Override
    public Map<String, List<String>> fieldErrors() {
        return field == null ? Map.of() : Map.of(field, List.of(getMessage()));
    }

    static MessageRejected empty() {
        return new MessageRejected(HttpStatus.BAD_REQUEST, EMPTY, "text");
    }

    static MessageRejected tooLong(int maxLength) {
        return new MessageRejected(HttpStatus.BAD_REQUEST,
                TOO_LONG.formatted(maxLength), "text");
    }

    static MessageRejected invalidCharacters() {
        return new MessageRejected(HttpStatus.BAD_REQUEST, INVALID_CHARACTERS, "text");
    }

    static MessageRejected rateLimited(int perMinute) {
        return new MessageRejected(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED.formatted(perMinute));
    }

    static MessageRejected notFound() {
        return new MessageRejected(HttpStatus.NOT_FOUND, NOT_FOUND);
    }

    static MessageRejected notAuthor() {
        return new MessageRejected(HttpStatus.FORBIDDEN, NOT_AUTHOR);
    }

    static MessageRejected invalidClientId() {
        return new MessageRejected(HttpStatus.BAD_REQUEST, INVALID_CLIENT_ID, "client_id");
    }
}
