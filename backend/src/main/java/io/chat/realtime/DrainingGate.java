package io.chat.realtime;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * While the instance drains before shutting down, a new WebSocket upgrade is refused with 503, so
 * that the load balancer (which retries and redispatches) or the client sends it to another
 * instance; sockets already open are untouched until the drain ends.
 */
class DrainingGate extends OncePerRequestFilter {

    private volatile boolean draining;

    void startDraining() {
        draining = true;
    }

    void stopDraining() {
        draining = false;
    }

    boolean isDraining() {
        return draining;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!draining) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader("Retry-After", "1");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"This instance is shutting down; connect again (through the load balancer)\"}");
    }
}
