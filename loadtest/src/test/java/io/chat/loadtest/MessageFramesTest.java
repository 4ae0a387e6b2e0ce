package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageFramesTest {

    @Test
    void readsTheStampOfTheToolsOwnMessages() {
        String frame = "{\"type\":\"message\",\"data\":{\"id\":7,\"text\":\"" + MessageFrames.text(42, 123456789L)
                + "\",\"sender\":{\"id\":1}}}";
        assertThat(MessageFrames.kind(frame)).isEqualTo(MessageFrames.Kind.MESSAGE);
        assertThat(MessageFrames.stamp(frame)).containsExactly(42L, 123456789L);
    }

    @Test
    void ignoresOtherTextsAndTellsFramesApart() {
        assertThat(MessageFrames.stamp("{\"type\":\"message\",\"data\":{\"text\":\"hello\"}}")).isNull();
        assertThat(MessageFrames.kind("{\"type\":\"error\",\"message\":\"Rate limit exceeded: at most 10\"}"))
                .isEqualTo(MessageFrames.Kind.ERROR);
        assertThat(MessageFrames.isRateLimit("{\"type\":\"error\",\"message\":\"Rate limit exceeded: x\"}")).isTrue();
        assertThat(MessageFrames.kind("{\"type\":\"connection_established\",\"chat_id\":1}"))
                .isEqualTo(MessageFrames.Kind.CONNECTED);
        assertThat(MessageFrames.kind("{\"type\":\"typing\"}")).isEqualTo(MessageFrames.Kind.OTHER);
    }
}
