package io.chat.loadtest;

/**
 * Reads just what the figures need from server frames, without a JSON parser on the hot path: the
 * tool must not be the bottleneck of what it measures. Texts sent by the tool look like
 * {@code lt <sequence> <send nanoTime>}, padded or not ({@code lt <sequence> <send nanoTime> <padding>}).
 *
 * <p>Fields are found by a small scanner that skips strings and nested objects, so a {@code "seq"}
 * inside a message's text or a nested {@code "id"} (the sender's) is never taken for the one
 * wanted, whatever order the server writes the fields in. It stops at the field it looks for:
 * with the server's usual order ({@code {"type":...,"seq":...,"data":{"id":...}}}) it reads the
 * first few dozen characters of a frame.
 */
final class MessageFrames {

    static final String PREFIX = "lt ";
    /** A field that is absent, or not a whole number: seq and ids are never negative. */
    static final long ABSENT = -1;
    private static final String TEXT_FIELD = "\"text\":\"" + PREFIX;
    /**
     * Padding is U+1F4AC, 4 bytes of UTF-8 and 1 character to the server's length limit (code
     * points): the most bytes a text can carry. It needs no escaping in JSON.
     */
    private static final String PAD_CHARACTER = "\uD83D\uDCAC";
    private static final int PAD_CHARACTER_BYTES = 4;
    private static final String PADDING = PAD_CHARACTER.repeat(Options.MAX_TEXT_BYTES / PAD_CHARACTER_BYTES + 1);

    private MessageFrames() {
    }

    static String text(int sequence, long sentNanos) {
        return PREFIX + sequence + " " + sentNanos;
    }

    /**
     * A text of about {@code bytes} bytes of UTF-8 (never fewer, at most 3 more), or the bare text
     * when that is already as long.
     */
    static String text(int sequence, long sentNanos, int bytes) {
        String bare = text(sequence, sentNanos);
        int missing = bytes - bare.length() - 1; // the tool's own text is ASCII, and a space comes first
        if (missing <= 0) {
            return bare;
        }
        int characters = Math.min((missing + PAD_CHARACTER_BYTES - 1) / PAD_CHARACTER_BYTES,
                PADDING.length() / PAD_CHARACTER.length());
        return bare + " " + PADDING.substring(0, characters * PAD_CHARACTER.length());
    }

    /**
     * What a frame is to the tool. {@code EVENT} is a state change other than a new message
     * ({@code message_updated}, {@code message_deleted}, {@code messages_read}): it carries a seq
     * on servers that number events, but is no delivery.
     */
    enum Kind { MESSAGE, EVENT, ERROR, CONNECTED, OTHER }

    static Kind kind(String frame) {
        int type = valueOf(frame, 0, "type");
        if (type < 0) {
            return Kind.OTHER;
        }
        if (frame.startsWith("\"message\"", type)) {
            return Kind.MESSAGE;
        }
        if (frame.startsWith("\"error\"", type)) {
            return Kind.ERROR;
        }
        if (frame.startsWith("\"connection_established\"", type)) {
            return Kind.CONNECTED;
        }
        if (frame.startsWith("\"message_updated\"", type) || frame.startsWith("\"message_deleted\"", type)
                || frame.startsWith("\"messages_read\"", type)) {
            return Kind.EVENT;
        }
        return Kind.OTHER;
    }

    /** The chat's event number of a frame (top-level {@code "seq"}), or {@link #ABSENT}. */
    static long seq(String frame) {
        return wholeNumber(frame, valueOf(frame, 0, "seq"));
    }

    /** The stored id of a {@code message} frame ({@code data.id}), or {@link #ABSENT}. */
    static long messageId(String frame) {
        int data = valueOf(frame, 0, "data");
        if (data < 0 || frame.charAt(data) != '{') {
            return ABSENT;
        }
        return wholeNumber(frame, valueOf(frame, data, "id"));
    }

    /** @return {sequence, sentNanos}, or null when the message was not sent by this tool */
    static long[] stamp(String frame) {
        int at = frame.indexOf(TEXT_FIELD);
        if (at < 0) {
            return null;
        }
        int start = at + TEXT_FIELD.length();
        int space = frame.indexOf(' ', start);
        if (space < 0) {
            return null;
        }
        // the send time ends the text, or the padding follows it after a space
        int end = space + 1;
        while (end < frame.length() && frame.charAt(end) != '"' && frame.charAt(end) != ' ') {
            end++;
        }
        if (end == frame.length()) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(frame, start, space, 10), Long.parseLong(frame, space + 1, end, 10)};
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    /** The sequence of a message text sent by this tool (as read back over REST), or {@link #ABSENT}. */
    static long sequenceOfText(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return ABSENT;
        }
        int space = text.indexOf(' ', PREFIX.length());
        try {
            return Long.parseLong(text, PREFIX.length(), space < 0 ? text.length() : space, 10);
        } catch (NumberFormatException notOurs) {
            return ABSENT;
        }
    }

    static boolean isRateLimit(String frame) {
        return frame.contains("Rate limit exceeded");
    }

    /**
     * Where the value of {@code key} starts among the members of the object that opens at
     * {@code open}, or -1 when that object has no such member (or the frame is cut short).
     */
    private static int valueOf(String json, int open, String key) {
        int depth = 0;
        for (int i = open; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = endOfString(json, i);
                if (end < 0) {
                    return -1;
                }
                if (depth == 1) {
                    int colon = skipSpace(json, end + 1);
                    if (colon < json.length() && json.charAt(colon) == ':' && end - i - 1 == key.length()
                            && json.startsWith(key, i + 1)) {
                        return skipSpace(json, colon + 1);
                    }
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return -1;
            }
        }
        return -1;
    }

    /** The index of the quote that closes the string opening at {@code quote}, or -1. */
    private static int endOfString(String json, int quote) {
        for (int i = quote + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(String json, int from) {
        int i = from;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A non-negative whole number starting at {@code at}, or {@link #ABSENT} (null, a string, a fraction...). */
    private static long wholeNumber(String json, int at) {
        if (at < 0) {
            return ABSENT;
        }
        int end = at;
        while (end < json.length() && json.charAt(end) >= '0' && json.charAt(end) <= '9') {
            end++;
        }
        if (end == at || end - at > 18 || end < json.length() && (json.charAt(end) == '.'
                || json.charAt(end) == 'e' || json.charAt(end) == 'E')) {
            return ABSENT;
        }
        return Long.parseLong(json, at, end, 10);
    }
}
