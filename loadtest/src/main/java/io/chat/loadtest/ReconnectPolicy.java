package io.chat.loadtest;

import java.util.Set;

/**
 * When a storm client reconnects, and after how long: the rules of the JS client
 * ({@code clients/js/chat-client.js}: {@code RECONNECT}, {@code QUICK}, {@code delay()}) and of the
 * close-code table of PROTOCOL.md, written down once so that the tool's clients behave as real
 * ones do and a test can hold them to it.
 *
 * <ul>
 * <li>1001 {@code Ping timeout} and 1012 {@code Service restart}, first attempt: a random 0–1 s, so
 * that thousands of clients of one instance do not land on the others in the same instant.</li>
 * <li>1013 {@code Try again later} (a refusal in a storm): a random delay from 0 up to 1 s doubled at
 * each failed attempt in a row (0–1 s, 0–2 s, ...), at most 30 s.</li>
 * <li>Everything else that is retried (a dropped connection, 1005/1006; 1011; 1013 {@code Too slow
 * to keep up}; 1001/1012 after the first attempt): the JS client's backoff, a ceiling of 500 ms
 * doubling per attempt up to 30 s, and a random delay between half the ceiling and the ceiling.</li>
 * <li>Never: 4401, 4403, 4409, 1003, 1009 and any code the protocol does not name.</li>
 * </ul>
 */
final class ReconnectPolicy {

    /** The JS client's {@code RECONNECT}: close codes after which it reconnects. */
    static final Set<Integer> RECONNECT = Set.of(1001, 1005, 1006, 1011, 1012, 1013);
    /** The JS client's {@code QUICK}: where the server asks for a short random delay instead of a backoff. */
    static final Set<Integer> QUICK = Set.of(1001, 1012);
    static final String TRY_AGAIN_LATER = "Try again later";
    static final long QUICK_MILLIS = 1000;
    static final long INITIAL_BACKOFF_MILLIS = 500;
    static final long MAX_MILLIS = 30_000;
    /** A refusal's window at the first attempt; it doubles at each failed attempt in a row. */
    static final long REFUSAL_MILLIS = 1000;

    private ReconnectPolicy() {
    }

    static boolean reconnects(int code) {
        return RECONNECT.contains(code);
    }

    static boolean isRefusal(int code, String reason) {
        return code == 1013 && TRY_AGAIN_LATER.equals(reason);
    }

    /**
     * The delay before the next attempt, or -1 for a close after which the client never reconnects.
     *
     * @param attempt failed attempts since the client was last live (0: the close of a live socket)
     * @param random uniform in [0, 1)
     */
    static long delayMillis(int code, String reason, int attempt, double random) {
        if (!reconnects(code)) {
            return -1;
        }
        if (QUICK.contains(code) && attempt == 0) {
            return (long) (random * QUICK_MILLIS);
        }
        if (isRefusal(code, reason)) {
            long window = REFUSAL_MILLIS << Math.min(attempt, 20);
            return (long) (random * Math.min(MAX_MILLIS, window));
        }
        long ceiling = Math.min(MAX_MILLIS, INITIAL_BACKOFF_MILLIS << Math.min(attempt, 20));
        return (long) (ceiling / 2.0 + random * ceiling / 2.0);
    }
}
