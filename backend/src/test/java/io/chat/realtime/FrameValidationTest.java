package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * The validation table of PROTOCOL.md part 1: each bad frame gets its exact error frame, to the
 * sender alone; the connection stays usable and nothing is stored or broadcast.
 */
@ChatServerTest
class FrameValidationTest {

    static final Duration QUIET = Duration.ofMillis(250);
    static final String EMOJI = "\uD83D\uDE00";

    @LocalServerPort
    int port;

    Api api;
    TestUser alice;
    TestUser bob;
    long chat;

    @BeforeEach
    void chat() {
        api = new Api(port);
        alice = api.newUser();
        bob = api.newUser();
        chat = api.newChat(alice, bob);
    }

    private int storedCount() {
        return api.get("/api/chats/" + chat + "/messages/?limit=200", alice.access()).json().get("results").size();
    }

    private void assertRejected(String expectedError, String... frames) {
        int storedBefore = storedCount();
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            for (String frame : frames) {
                a.send(frame);
                assertThat(a.next().toString()).as(frame)
                        .isEqualTo("{\"type\":\"error\",\"message\":\"" + expectedError + "\"}");
            }
            b.expectSilence(QUIET);
            // still usable
            a.sendJson(Map.of("type", "message", "text", "after the errors"));
            assertThat(a.next().get("data").get("text").asString()).isEqualTo("after the errors");
        }
        assertThat(storedCount()).as("only the final valid message is stored").isEqualTo(storedBefore + 1);
    }

    @Test
    void notJsonOrNotAnObjectIsInvalidJson() {
        assertRejected("Invalid JSON format", "hello", "{\"type\": \"message\", \"text\": \"cut", "{", "",
                "[1, 2]", "\"message\"", "42", "null", "{\"type\":\"message\",}", "{'type': 'message'}");
    }

    @Test
    void missingOrNonStringTypeIsRequired() {
        assertRejected("Message type is required", "{}", "{\"text\": \"hi\"}", "{\"type\": 5}",
                "{\"type\": null}", "{\"type\": {\"name\": \"message\"}}", "{\"type\": [\"message\"]}",
                "{\"type\": true}");
    }

    @Test
    void unknownTypeIsNamed() {
        assertRejected("Unknown message type: invalid_type", "{\"type\": \"invalid_type\"}");
        assertRejected("Unknown message type: MESSAGE", "{\"type\": \"MESSAGE\", \"text\": \"hi\"}");
    }

    @Test
    void missingNonStringOrBlankTextIsEmpty() {
        assertRejected("Message text cannot be empty", "{\"type\": \"message\"}",
                "{\"type\": \"message\", \"text\": null}", "{\"type\": \"message\", \"text\": 5}",
                "{\"type\": \"message\", \"text\": [\"a\"]}", "{\"type\": \"message\", \"text\": \"\"}",
                "{\"type\": \"message\", \"text\": \"   \\n\\t  \"}",
                "{\"type\": \"message\", \"text\": \"\\u00a0\\u2003\\u3000\"}",
                "{\"type\": \"edit_message\", \"message_id\": 1, \"text\": \" \"}");
    }

    @Test
    void textOverTheLimitIsRefusedAndCountsCodePoints() {
        assertRejected("Message text cannot exceed 1000 characters",
                Api.json(Map.of("type", "message", "text", "x".repeat(1001))),
                Api.json(Map.of("type", "message", "text", EMOJI.repeat(1001))),
                Api.json(Map.of("type", "edit_message", "message_id", 1, "text", "y".repeat(1001))));
    }

    @Test
    void textAtTheLimitPassesEvenInEmojiOrWithSurroundingSpace() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            for (String text : new String[] {"x".repeat(1000), EMOJI.repeat(1000), "  " + "z".repeat(1000) + "\u00a0 "}) {
                a.sendJson(Map.of("type", "message", "text", text));
                assertThat(a.next().get("data").get("text").asString()).isEqualTo(text.strip().replace("\u00a0", ""));
            }
        }
    }

    @Test
    void nulCharacterIsInvalid() {
        assertRejected("Message text contains invalid characters",
                "{\"type\": \"message\", \"text\": \"a\\u0000b\"}");
    }

    @Test
    void isTypingMustBeABoolean() {
        assertRejected("Field is_typing must be true or false", "{\"type\": \"typing\"}",
                "{\"type\": \"typing\", \"is_typing\": \"true\"}", "{\"type\": \"typing\", \"is_typing\": 1}",
                "{\"type\": \"typing\", \"is_typing\": null}");
    }

    @Test
    void checksRunInTheOrderOfTheTable() {
        // empty text is reported before a bad message id
        assertRejected("Message text cannot be empty",
                "{\"type\": \"edit_message\", \"message_id\": \"bad\", \"text\": \"\"}");
        // too long before invalid characters
        assertRejected("Message text cannot exceed 1000 characters",
                Api.json(Map.of("type", "message", "text", "\u0000" + "x".repeat(1000))));
    }

    @Test
    void badClientIdIsRefused() {
        assertRejected("Field client_id must be a string of 1 to 64 characters",
                Api.json(Map.of("type", "message", "text", "hi", "client_id", "k".repeat(65))),
                "{\"type\": \"message\", \"text\": \"hi\", \"client_id\": 7}");
    }

    @Test
    void deeplyNestedOrHugeJsonWithinTheFrameLimitIsInvalidOrRefusedCleanly() {
        assertRejected("Invalid JSON format", "[".repeat(5000) + "]".repeat(5000), "{\"a\":" .repeat(2000));
        assertRejected("Message text cannot exceed 1000 characters",
                Api.json(Map.of("type", "message", "text", "w".repeat(60_000))));
    }
}
