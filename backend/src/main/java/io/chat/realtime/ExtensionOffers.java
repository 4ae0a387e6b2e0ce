package io.chat.realtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Decides which of the extensions a client offers on a WebSocket upgrade the container gets to see.
 * The container (Tomcat) accepts {@code permessage-deflate} whenever it is offered, and fails the
 * upgrade with a 500 on an offer it cannot parse (a window size of 1); so the offer is filtered
 * before it gets there.
 *
 * <p>Compression is off unless {@code chat.websocket.compression} is set: every browser offers
 * {@code permessage-deflate}, and each socket that accepts it keeps a zlib compressor and
 * decompressor outside the heap (about 100 KiB per socket measured), several times what the socket
 * costs otherwise, while chat frames are small. Hiding the offer declines it: the 101 answer names
 * no extension, which every client accepts. With compression on, only well-formed
 * {@code permessage-deflate} offers are passed on (RFC 7692's parameters, each once, window sizes
 * 8..15); anything else is declined the same way.
 */
class ExtensionOffers extends OncePerRequestFilter {

    static final String HEADER = "Sec-WebSocket-Extensions";
    static final String PERMESSAGE_DEFLATE = "permessage-deflate";
    private static final Set<String> FLAGS = Set.of("server_no_context_takeover", "client_no_context_takeover");

    private final boolean compression;

    ExtensionOffers(boolean compression) {
        this.compression = compression;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Enumeration<String> offered = request.getHeaders(HEADER);
        if (offered == null || !offered.hasMoreElements()) {
            chain.doFilter(request, response);
            return;
        }
        String accepted = compression ? acceptable(Collections.list(offered)) : null;
        chain.doFilter(new OfferedOnly(request, accepted), response);
    }

    /**
     * The well-formed {@code permessage-deflate} offers among the header values, or null for none.
     * Parsed here rather than by Spring's parser, which drops parameters without a value, such as the
     * {@code client_max_window_bits} every browser sends.
     */
    static String acceptable(List<String> headerValues) {
        List<String> kept = new ArrayList<>();
        for (String value : headerValues) {
            for (String offer : value.split(",")) {
                String[] parts = offer.split(";", -1);
                if (!PERMESSAGE_DEFLATE.equals(parts[0].strip())) {
                    continue;
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                boolean wellFormed = true;
                for (int i = 1; i < parts.length && wellFormed; i++) {
                    String parameter = parts[i].strip();
                    int equals = parameter.indexOf('=');
                    String name = equals < 0 ? parameter : parameter.substring(0, equals).strip();
                    String parameterValue = equals < 0 ? null : unquote(parameter.substring(equals + 1).strip());
                    wellFormed = !name.isEmpty() && parameters.put(name, parameterValue == null ? "" : parameterValue)
                            == null;
                }
                if (wellFormed && isWellFormedDeflateOffer(parameters)) {
                    kept.add(offer.strip());
                }
            }
        }
        return kept.isEmpty() ? null : String.join(", ", kept);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** RFC 7692's parameters, each at most once, window sizes 8..15 (the client's may have no value). */
    static boolean isWellFormedDeflateOffer(Map<String, String> parameters) {
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            String value = parameter.getValue();
            boolean valueless = value == null || value.isEmpty();
            if (!seen.add(name)) {
                return false;
            }
            boolean wellFormed = FLAGS.contains(name) ? valueless
                    : "server_max_window_bits".equals(name) ? isWindowSize(value)
                    : "client_max_window_bits".equals(name) && (valueless || isWindowSize(value));
            if (!wellFormed) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWindowSize(String value) {
        if (value == null || value.isEmpty() || value.length() > 2) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15;
    }

    /** The request with the extension header replaced by the accepted offers, or removed. */
    private static final class OfferedOnly extends HttpServletRequestWrapper {

        private final String accepted;

        OfferedOnly(HttpServletRequest request, String accepted) {
            super(request);
            this.accepted = accepted;
        }

        @Override
        public String getHeader(String name) {
            return HEADER.equalsIgnoreCase(name) ? accepted : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (!HEADER.equalsIgnoreCase(name)) {
                return super.getHeaders(name);
            }
            return Collections.enumeration(accepted == null ? List.of() : List.of(accepted));
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (String name : Collections.list(super.getHeaderNames())) {
                if (!HEADER.equalsIgnoreCase(name) || accepted != null) {
                    names.add(name);
                }
            }
            return Collections.enumeration(names);
        }
    }
}
