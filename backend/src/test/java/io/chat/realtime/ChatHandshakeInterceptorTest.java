package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hand-written path and query scanning of the upgrade request (the socket tests cover the rest). */
class ChatHandshakeInterceptorTest {

    @Test
    void chatIdIsThePositiveNumberOfTheLastSegment() {
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/42/")).isEqualTo(42L);
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/42")).isEqualTo(42L);
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/999999999999999999/")).isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void anythingElseIsNoChatId() {
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/0/")).isNull();
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/007/")).isNull();
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/-1/")).isNull();
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/1a/")).isNull();
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat//")).isNull();
        assertThat(ChatHandshakeInterceptor.chatId("/ws/chat/1000000000000000000/")).isNull();
        assertThat(ChatHandshakeInterceptor.chatId("/")).isNull();
    }

    @Test
    void parameterIsTheFirstDecodedValueOfExactlyThatName() {
        assertThat(ChatHandshakeInterceptor.parameter("token=a.b.c&last_message_id=7", "token")).isEqualTo("a.b.c");
        assertThat(ChatHandshakeInterceptor.parameter("token=a.b.c&last_message_id=7", "last_message_id"))
                .isEqualTo("7");
        assertThat(ChatHandshakeInterceptor.parameter("x_token=1&token=2&token=3", "token")).isEqualTo("2");
        assertThat(ChatHandshakeInterceptor.parameter("token=a%2Bb+c", "token")).isEqualTo("a+b c");
        assertThat(ChatHandshakeInterceptor.parameter("token=", "token")).isEmpty();
        assertThat(ChatHandshakeInterceptor.parameter("a=1&&token=x=y", "token")).isEqualTo("x=y");
    }

    @Test
    void absentParametersAreNull() {
        assertThat(ChatHandshakeInterceptor.parameter(null, "token")).isNull();
        assertThat(ChatHandshakeInterceptor.parameter("", "token")).isNull();
        assertThat(ChatHandshakeInterceptor.parameter("tokens=1&toke=2", "token")).isNull();
        assertThat(ChatHandshakeInterceptor.parameter("token", "token")).isNull();
    }
}
