package io.chat.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schemas of docs/asyncapi.yaml can fail: frames that break the protocol are refused by them. */
class FrameSchemasTest {

    private static final String DATA = "{\"id\": 7, \"text\": \"hi\", \"sender\": {\"id\": 1, \"username\": \"john\","
            + " \"first_name\": \"John\", \"last_name\": \"\"}, \"timestamp\": \"2024-01-15T10:30:00.123Z\","
            + " \"is_edited\": false, \"is_deleted\": false, \"chat_id\": 3, \"client_id\": null}";

    @Test
    void acceptsTheServerFramesOfTheProtocol() {
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"connection_established\", \"message\":"
                + " \"Successfully connected to chat\", \"chat_id\": 3, \"seq\": 0, \"recovered\": true}")).isEmpty();
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"message\", \"seq\": 1, \"data\": " + DATA + "}")).isEmpty();
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"message\", \"data\": " + DATA + "}")).isEmpty();
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"message_deleted\", \"seq\": 2, \"data\": " + DATA + "}"))
                .isEmpty();
        assertThat(FrameSchemas.checkServerFrame(
                "{\"type\": \"typing\", \"user_id\": 1, \"username\": \"john\", \"is_typing\": true}")).isEmpty();
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"messages_read\", \"seq\": 3, \"user_id\": 1,"
                + " \"username\": \"john\", \"last_read_message_id\": 0}")).isEmpty();
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"error\", \"message\": \"Invalid JSON format\"}")).isEmpty();
    }

    @Test
    void refusesServerFramesThatBreakTheProtocol() {
        // an event without its seq
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"message_updated\", \"data\": " + DATA + "}")).isNotEmpty();
        // a field the document does not list
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"error\", \"message\": \"x\", \"code\": 1}")).isNotEmpty();
        // a wrong type of value
        assertThat(FrameSchemas.checkServerFrame(
                "{\"type\": \"typing\", \"user_id\": 1, \"username\": \"john\", \"is_typing\": \"yes\"}")).isNotEmpty();
        // a timestamp not in UTC
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"message\", \"seq\": 1, \"data\": "
                + DATA.replace("10:30:00.123Z", "10:30:00+02:00") + "}")).isNotEmpty();
        // a sender without a username
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"message\", \"seq\": 1, \"data\": "
                + DATA.replace("\"username\": \"john\",", "") + "}")).isNotEmpty();
        // a greeting with the wrong text, a type the document does not list, no JSON at all
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"connection_established\", \"message\": \"hi\","
                + " \"chat_id\": 3, \"seq\": 0}")).isNotEmpty();
        assertThat(FrameSchemas.checkServerFrame("{\"type\": \"presence\", \"user_id\": 1}")).isNotEmpty();
        assertThat(FrameSchemas.checkServerFrame("not json")).isNotEmpty();
    }

    @Test
    void tellsValidClientFramesFromInvalidOnes() {
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"message\", \"text\": \"hi\", \"client_id\": \"a\"}")).isEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"typing\", \"is_typing\": false}")).isEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"read_messages\"}")).isEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"edit_message\", \"message_id\": 5, \"text\": \"x\"}")).isEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"delete_message\", \"message_id\": 5}")).isEmpty();

        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"message\"}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"message\", \"text\": 5}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"message\", \"text\": \"x\", \"client_id\": \"\"}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"typing\", \"is_typing\": \"true\"}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"delete_message\", \"message_id\": 0}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"type\": \"invalid_type\"}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{\"text\": \"no type\"}")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("[1, 2]")).isNotEmpty();
        assertThat(FrameSchemas.checkClientFrame("{oops")).isNotEmpty();
    }
}
