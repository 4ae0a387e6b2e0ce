package io.chat.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Reading a connection's numbered events as the delivery guarantees describe them. */
public final class EventStream {

    private EventStream() {
    }

    /**
     * Takes frames until one numbered {@code seq} or later arrives; fails if that takes longer than
     * {@code within}. Frames without a number (typing) are skipped.
     *
     * @return the numbered frames, in the order received
     */
    public static List<JsonNode> until(WsClient client, long seq, Duration within) {
        List<JsonNode> numbered = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        long last = 0;
        while (last < seq) {
            long left = deadline - System.nanoTime();
            JsonNode frame = left > 0 ? client.poll(Duration.ofNanos(left)) : null;
            if (frame == null) {
                throw new AssertionError("seq " + seq + " not reached within " + within + "; got "
                        + numbers(numbered));
            }
            if (frame.has("seq")) {
                numbered.add(frame);
                last = frame.get("seq").asLong();
            }
        }
        return numbered;
    }

    public static List<Long> numbers(List<JsonNode> frames) {
        return frames.stream().map(frame -> frame.get("seq").asLong()).toList();
    }

    /** The numbers from {@code first} to {@code last}, less those given. */
    public static List<Long> range(long first, long last, Long... except) {
        List<Long> range = new ArrayList<>();
        for (long seq = first; seq <= last; seq++) {
            range.add(seq);
        }
        range.removeAll(List.of(except));
        return range;
    }
}
