package io.chat.realtime;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Takes what the chat server reads from an upgrade request (the token and the recovery parameters)
 * into a request attribute, and shows the rest of the chain only what the WebSocket handshake itself
 * needs: its own headers, and no query string.
 *
 * <p>Why: Tomcat's handshake request and Spring's WebSocket session each keep a copy of the upgrade's
 * headers, query string and parameters for as long as the socket is open, whether or not anyone
 * reads them again. A browser's upgrade carries a dozen headers (cookies, user agent, languages) and
 * its token in the query string, which ended up in four places per socket: over 2 KiB of heap per
 * idle socket, and access tokens lingering in memory. Nothing reads them after the handshake.
 */
class UpgradeRequestTrim extends OncePerRequestFilter {

    /** The request attribute holding the {@link Parameters} of the upgrade. */
    static final String PARAMETERS = UpgradeRequestTrim.class.getName() + ".parameters";

    /** The headers the handshake reads (Tomcat's and Spring's), lower-case. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("host", "upgrade", "connection", "origin",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

    private static final String BEARER = "Bearer ";

    /**
     * What the server reads from an upgrade request.
     *
     * @param token the access token (the {@code Authorization} header's bearer token, else the
     *     {@code token} query parameter), "" for an {@code Authorization} header that is not a bearer
     *     token, null when absent
     * @param sinceSeq the {@code since_seq} parameter as given, or null
     * @param lastMessageId the {@code last_message_id} parameter as given, or null
     */
    record Parameters(String token, String sinceSeq, String lastMessageId) {

        static Parameters of(HttpServletRequest request) {
            String query = request.getQueryString();
            return new Parameters(token(request.getHeader("Authorization"), query),
                    ChatHandshakeInterceptor.parameter(query, "since_seq"),
                    ChatHandshakeInterceptor.parameter(query, "last_message_id"));
        }

        private static String token(String authorization, String query) {
            if (authorization != null) {
                // a header that is not a bearer token is a bad token, not a reason to look elsewhere
                return authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                        ? authorization.substring(BEARER.length()).trim() : "";
            }
            return ChatHandshakeInterceptor.parameter(query, "token");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(PARAMETERS, Parameters.of(request));
        chain.doFilter(new HandshakeOnly(request), response);
    }

    /** The request as the handshake sees it: its own headers only, and no query string or parameters. */
    private static final class HandshakeOnly extends HttpServletRequestWrapper {

        HandshakeOnly(HttpServletRequest request) {
            super(request);
        }

        private static boolean kept(String name) {
            return name != null && HANDSHAKE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            return kept(name) ? super.getHeader(name) : null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return kept(name) ? super.getHeaders(name) : Collections.emptyEnumeration();
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(HandshakeOnly::kept).toList());
        }

        @Override
        public long getDateHeader(String name) {
            return kept(name) ? super.getDateHeader(name) : -1;
        }

        @Override
        public int getIntHeader(String name) {
            return kept(name) ? super.getIntHeader(name) : -1;
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }
}
