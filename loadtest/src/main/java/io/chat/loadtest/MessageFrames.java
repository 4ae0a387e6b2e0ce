package io.chat.loadtest;

/**
 * Reads just what the figures need from server frames, without a JSON parser on the hot path: the
 * tool must not be the bottleneck of what it measures. Texts sent by the tool look like
 * {@code lt <sequence> <send nanoTime>}.
 */
final class MessageFrames {

    static final String PREFIX = "lt ";
    private static final String TEXT_FIELD = "\"text\":\"" + PREFIX;

    private MessageFrames() {
    }

    static String text(int sequence, long sentNanos) {
        return PREFIX + sequence + " " + sentNanos;
    }

    enum Kind { MESSAGE, ERROR, CONNECTED, OTHER }

    static Kind kind(CharSequence frame) {
        String start = frame.subSequence(0, Math.min(40, frame.length())).toString();
        if (start.startsWith("{\"type\":\"message\"")) {
            return Kind.MESSAGE;
        }
        if (start.startsWith("{\"type\":\"error\"")) {
            return Kind.ERROR;
        }
        if (start.startsWith("{\"type\":\"connection_established\"")) {
            return Kind.CONNECTED;
        }
        return Kind.OTHER;
    }

    /** @return {sequence, sentNanos}, or null when the message was not sent by this tool */
    static long[] stamp(String frame) {
        int at = frame.indexOf(TEXT_FIELD);
        if (at < 0) {
            return null;
        }
        int start = at + TEXT_FIELD.length();
        int space = frame.indexOf(' ', start);
        int end = frame.indexOf('"', space);
        if (space < 0 || end < 0) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(frame, start, space, 10), Long.parseLong(frame, space + 1, end, 10)};
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    static boolean isRateLimit(String frame) {
        return frame.contains("Rate limit exceeded");
    }
}
