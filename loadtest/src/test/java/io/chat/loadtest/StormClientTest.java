package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StormClientTest {

    @Test
    void anAcknowledgementIsTheSendersOwnMessageCarryingItsClientId() {
        String echo = "{\"type\":\"message\",\"seq\":7,\"data\":{\"id\":3,\"text\":\"lt 12 345\",\"sender\":{\"id\":1},"
                + "\"chat_id\":4,\"client_id\":\"st12\"}}";
        assertThat(StormClient.clientId(echo)).isEqualTo("st12");
        assertThat(StormClient.clientId("{\"type\":\"message\",\"seq\":8,\"data\":{\"id\":4}}")).isNull();
    }
}
