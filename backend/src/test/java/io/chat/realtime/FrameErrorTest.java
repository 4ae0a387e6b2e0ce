package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.chat.message.MessageRejected;

/** Each error text of the contract has a key of its own for the metric of rejected frames. */
class FrameErrorTest {

    @Test
    void everyErrorTextHasAKeyOfItsOwn() throws IllegalAccessException {
        Set<FrameError> seen = new HashSet<>();
        for (Class<?> holder : List.of(InvalidFrame.class, MessageRejected.class)) {
            for (Field field : holder.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    field.setAccessible(true);
                    String text = ((String) field.get(null)).replace("%d", "10").replace("%s", "whatever \"x\"");
                    FrameError error = FrameError.of(text);
                    assertThat(error).as(text).isNotEqualTo(FrameError.OTHER);
                    seen.add(error);
                }
            }
        }
        assertThat(FrameError.of(ServerFrames.INTERNAL_ERROR)).isEqualTo(FrameError.INTERNAL_ERROR);
        assertThat(seen).hasSize(FrameError.values().length - 2); // all but internal_error and other
    }

    @Test
    void keysAreShortAndNeverEchoTheClient() {
        assertThat(FrameError.of("Unknown message type: " + "x".repeat(500)).key()).isEqualTo("unknown_type");
        assertThat(FrameError.of("Rate limit exceeded: at most 3 messages per minute").key()).isEqualTo("rate_limited");
        assertThat(FrameError.of("Chat not found").key()).isEqualTo("other");
    }
}
