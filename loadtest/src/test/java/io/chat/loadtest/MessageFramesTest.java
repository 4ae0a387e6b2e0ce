package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MessageFramesTest {

    private static final String DATA = "{\"id\":7,\"text\":\"" + MessageFrames.text(42, 123456789L)
            + "\",\"sender\":{\"id\":1,\"username\":\"u\"},\"timestamp\":\"2026-11-27T10:00:00Z\"}";

    @Test
    void readsTheStampOfTheToolsOwnMessages() {
        String frame = "{\"type\":\"message\",\"data\":" + DATA + "}";
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
        assertThat(MessageFrames.kind("not json")).isEqualTo(MessageFrames.Kind.OTHER);
    }

    @Test
    void editsDeletesAndReadsAreEventsButNotMessages() {
        assertThat(MessageFrames.kind("{\"type\":\"message_updated\",\"seq\":3,\"data\":" + DATA + "}"))
                .isEqualTo(MessageFrames.Kind.EVENT);
        assertThat(MessageFrames.kind("{\"type\":\"message_deleted\",\"seq\":4,\"data\":" + DATA + "}"))
                .isEqualTo(MessageFrames.Kind.EVENT);
        assertThat(MessageFrames.kind("{\"type\":\"messages_read\",\"seq\":5,\"user_id\":1}"))
                .isEqualTo(MessageFrames.Kind.EVENT);
    }

    @Test
    void readsTheTopLevelSeqAndTheMessageIdWhereverTheServerPutsThem() {
        String seqFirst = "{\"type\":\"message\",\"seq\":42,\"data\":" + DATA + "}";
        String seqLast = "{\"type\":\"message\",\"data\":" + DATA + ",\"seq\":43}";
        String typeLast = "{ \"seq\" : 44 , \"data\" : " + DATA + ", \"type\" : \"message\" }";
        assertThat(MessageFrames.seq(seqFirst)).isEqualTo(42);
        assertThat(MessageFrames.seq(seqLast)).isEqualTo(43);
        assertThat(MessageFrames.seq(typeLast)).isEqualTo(44);
        assertThat(MessageFrames.kind(typeLast)).isEqualTo(MessageFrames.Kind.MESSAGE);
        for (String frame : new String[] {seqFirst, seqLast, typeLast}) {
            assertThat(MessageFrames.messageId(frame)).isEqualTo(7); // data.id, not the sender's
        }
    }

    @Test
    void theGreetingCarriesTheChatsLatestSeq() {
        assertThat(MessageFrames.seq("{\"type\":\"connection_established\",\"message\":\"Successfully connected"
                + " to chat\",\"chat_id\":1,\"seq\":0}")).isZero();
        assertThat(MessageFrames.seq("{\"type\":\"connection_established\",\"message\":\"m\",\"chat_id\":1,"
                + "\"seq\":1234567,\"recovered\":true}")).isEqualTo(1234567);
    }

    @Test
    void aServerWithoutEventNumbersHasNoSeq() {
        assertThat(MessageFrames.seq("{\"type\":\"message\",\"data\":" + DATA + "}")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.seq("{\"type\":\"connection_established\",\"message\":\"m\",\"chat_id\":1}"))
                .isEqualTo(MessageFrames.ABSENT);
    }

    @Test
    void aSeqAnywhereButAtTheTopIsNotTheFramesSeq() {
        String inText = "{\"type\":\"message\",\"data\":{\"id\":8,\"text\":\"say \\\"seq\\\":9 and }{\"}}";
        String nested = "{\"type\":\"message\",\"data\":{\"id\":8,\"seq\":9,\"sender\":{\"id\":2}}}";
        assertThat(MessageFrames.seq(inText)).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.messageId(inText)).isEqualTo(8);
        assertThat(MessageFrames.seq(nested)).isEqualTo(MessageFrames.ABSENT);
    }

    @Test
    void aSeqThatIsNoWholeNumberIsAbsent() {
        assertThat(MessageFrames.seq("{\"type\":\"message\",\"seq\":null}")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.seq("{\"type\":\"message\",\"seq\":\"4\"}")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.seq("{\"type\":\"message\",\"seq\":4.5}")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.seq("{\"type\":\"message\",\"seq\":")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.messageId("{\"type\":\"message\",\"data\":null}")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.messageId("{\"type\":\"message\",\"data\":{\"text\":\"x\"")).isEqualTo(
                MessageFrames.ABSENT);
    }

    @Test
    void readsTheSequenceOfTheToolsOwnTextsReadBack() {
        assertThat(MessageFrames.sequenceOfText(MessageFrames.text(17, 99L))).isEqualTo(17);
        assertThat(MessageFrames.sequenceOfText("hello")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.sequenceOfText("lt x 1")).isEqualTo(MessageFrames.ABSENT);
        assertThat(MessageFrames.sequenceOfText(null)).isEqualTo(MessageFrames.ABSENT);
    }

    @Test
    void paddedTextsReachTheBytesAskedForWithinTheServersCharacterLimit() {
        for (int bytes : new int[] {100, 1000, Options.MAX_TEXT_BYTES}) {
            String text = MessageFrames.text(1_234_567, Long.MAX_VALUE, bytes);
            int utf8 = text.getBytes(StandardCharsets.UTF_8).length;
            assertThat(utf8).isBetween(bytes, bytes + 3);
            assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(1000);
        }
        // the smallest sequence and send time leave the most room for padding
        String longest = MessageFrames.text(0, 0, Options.MAX_TEXT_BYTES);
        assertThat(longest.codePointCount(0, longest.length())).isLessThanOrEqualTo(1000);
    }

    @Test
    void aTextAlreadyLongerThanAskedIsNotPadded() {
        assertThat(MessageFrames.text(42, 123456789L, 0)).isEqualTo(MessageFrames.text(42, 123456789L));
        assertThat(MessageFrames.text(42, 123456789L, 10)).isEqualTo("lt 42 123456789");
    }

    @Test
    void readsTheStampAndSequenceOfPaddedTexts() {
        String text = MessageFrames.text(42, 123456789L, 500);
        String frame = "{\"type\":\"message\",\"seq\":9,\"data\":{\"id\":7,\"text\":\"" + text
                + "\",\"sender\":{\"id\":1}}}";
        assertThat(MessageFrames.stamp(frame)).containsExactly(42L, 123456789L);
        assertThat(MessageFrames.sequenceOfText(text)).isEqualTo(42);
        assertThat(MessageFrames.messageId(frame)).isEqualTo(7);
    }

    @Test
    void aStampCutShortIsNotRead() {
        assertThat(MessageFrames.stamp("{\"type\":\"message\",\"data\":{\"text\":\"lt 42 1234")).isNull();
        assertThat(MessageFrames.stamp("{\"type\":\"message\",\"data\":{\"text\":\"lt 42\"}}")).isNull();
    }
}
