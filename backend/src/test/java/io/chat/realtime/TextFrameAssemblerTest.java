package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TextFrameAssemblerTest {

    @Test
    void countsUtf8BytesWithoutEncoding() {
        for (String text : new String[] {"plain", "é", "€", "\uD83D\uDE00", "mixé€\uD83D\uDE00x", ""}) {
            assertThat(TextFrameAssembler.utf8Length(text)).as(text)
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void joinsPartsAndEnforcesTheLimitOnTheWhole() throws Exception {
        TextFrameAssembler assembler = new TextFrameAssembler(10);
        assertThat(assembler.add("abc", false)).isNull();
        assertThat(assembler.add("def", true)).isEqualTo("abcdef");
        assertThat(assembler.add("0123456789", true)).isEqualTo("0123456789");
        assertThat(assembler.add("012345", false)).isNull();
        assertThatThrownBy(() -> assembler.add("6789X", false)).isInstanceOf(TextFrameAssembler.TooBig.class);
        assertThatThrownBy(() -> new TextFrameAssembler(3).add("€€", true)).isInstanceOf(TextFrameAssembler.TooBig.class);
    }
}
