package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What the handshake (and so every open socket) gets to keep of an upgrade request: its own headers
 * only, no query string; the token and recovery parameters are read once, beforehand. That sockets
 * still open with a token in the query or the header, and recover, is proven over real sockets by
 * {@code TokenCheckAtOpenTest} and {@code RecoveryTest}.
 */
class UpgradeRequestTrimTest {

    @Test
    void theHandshakeSeesItsOwnHeadersOnlyAndNoQueryWhileTheParametersAreReadFirst() throws Exception {
        MockHttpServletRequest upgrade = new MockHttpServletRequest("GET", "/ws/chat/7/");
        upgrade.setQueryString("token=abc.def.ghi&since_seq=12&last_message_id=40&utm_source=mail");
        upgrade.addParameter("token", "abc.def.ghi");
        upgrade.addHeader("Host", "chat.example.com");
        upgrade.addHeader("Upgrade", "websocket");
        upgrade.addHeader("Connection", "Upgrade");
        upgrade.addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        upgrade.addHeader("Sec-WebSocket-Version", "13");
        upgrade.addHeader("Origin", "https://chat.example.com");
        upgrade.addHeader("Cookie", "session=secret");
        upgrade.addHeader("User-Agent", "Mozilla/5.0");
        MockFilterChain chain = new MockFilterChain();

        new UpgradeRequestTrim().doFilter(upgrade, new MockHttpServletResponse(), chain);

        HttpServletRequest seen = (HttpServletRequest) chain.getRequest();
        assertThat(Collections.list(seen.getHeaderNames())).containsExactlyInAnyOrder("Host", "Upgrade",
                "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Origin");
        assertThat(seen.getHeader("cookie")).isNull();
        assertThat(seen.getHeaders("User-Agent").hasMoreElements()).isFalse();
        assertThat(seen.getHeader("sec-websocket-key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(seen.getQueryString()).isNull();
        assertThat(seen.getParameter("token")).isNull();
        assertThat(seen.getParameterMap()).isEmpty();
        assertThat(seen.getRequestURI()).isEqualTo("/ws/chat/7/");
        assertThat(seen.getAttribute(UpgradeRequestTrim.PARAMETERS))
                .isEqualTo(new UpgradeRequestTrim.Parameters("abc.def.ghi", "12", "40"));
    }

    @Test
    void theAuthorizationHeaderWinsOverTheQueryAndAnythingButABearerTokenIsABadToken() throws Exception {
        assertThat(parametersOf("Bearer  header.token ", "token=query.token").token()).isEqualTo("header.token");
        assertThat(parametersOf("Basic dXNlcjpwYXNz", "token=query.token").token()).isEmpty();
        assertThat(parametersOf(null, "token=query.token").token()).isEqualTo("query.token");
        assertThat(parametersOf(null, null)).isEqualTo(new UpgradeRequestTrim.Parameters(null, null, null));
    }

    private static UpgradeRequestTrim.Parameters parametersOf(String authorization, String query) throws Exception {
        MockHttpServletRequest upgrade = new MockHttpServletRequest("GET", "/ws/chat/7/");
        upgrade.setQueryString(query);
        if (authorization != null) {
            upgrade.addHeader("Authorization", authorization);
        }
        new UpgradeRequestTrim().doFilter(upgrade, new MockHttpServletResponse(), new MockFilterChain());
        return (UpgradeRequestTrim.Parameters) upgrade.getAttribute(UpgradeRequestTrim.PARAMETERS);
    }
}
