package io.chat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The text rules, without a server: trimming as Python's str.strip() does, and lengths in code points. */
class MessageTextTest {

    @Test
    void stripsUnicodeWhiteSpaceLikePython() {
        assertThat(MessageText.validate("\u00a0\u2003 hi \t\n\u3000\u0085\u202f", 1000)).isEqualTo("hi");
        assertThat(MessageText.validate("\u200bhi", 1000)).as("zero-width space is not white space")
                .isEqualTo("\u200bhi");
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        String emoji = "\uD83D\uDE80";
        assertThat(MessageText.validate(emoji.repeat(1000), 1000)).hasSize(2000);
        assertThatThrownBy(() -> MessageText.validate(emoji.repeat(1001), 1000))
                .hasMessage("Message text cannot exceed 1000 characters");
    }

    @Test
    void reportsTheConfiguredLimit() {
        assertThatThrownBy(() -> MessageText.validate("abcdef", 5)).hasMessage("Message text cannot exceed 5 characters");
    }

    @Test
    void refusesEmptyBeforeTooLongBeforeNul() {
        assertThatThrownBy(() -> MessageText.validate(null, 10)).hasMessage("Message text cannot be empty");
        assertThatThrownBy(() -> MessageText.validate(" \u00a0 ", 10)).hasMessage("Message text cannot be empty");
        assertThatThrownBy(() -> MessageText.validate("\u0000".repeat(11), 10))
                .hasMessage("Message text cannot exceed 10 characters");
        assertThatThrownBy(() -> MessageText.validate("a\u0000", 10))
                .hasMessage("Message text contains invalid characters");
    }
}
