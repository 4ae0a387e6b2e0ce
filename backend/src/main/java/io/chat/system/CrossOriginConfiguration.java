package io.chat.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for the REST API ({@code /api/**}), for a frontend served from another origin. Tokens travel
 * in the {@code Authorization} header, never in cookies, so credentials are not allowed and a page
 * of a listed origin gains nothing it could not do with the token it already holds. With no origin
 * listed (the default) every cross-origin request is refused, and same-origin ones, which are not
 * CORS requests, go through. The security filter chain runs the filter first, so that a preflight
 * is answered before authentication (it carries no token), and a refusal is a problem document
 * like every other error.
 */
@Configuration(proxyBeanMethods = false)
class CrossOriginConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CrossOriginConfiguration.class);

    /** Browsers cache a preflight this long, so a page does not send one before every call. */
    private static final Duration PREFLIGHT_CACHE = Duration.ofHours(1);

    /**
     * Added to the security filter chain by {@code SecurityConfiguration}; only there, so that it
     * runs once, before authentication (see {@link #corsFilterOutsideSecurity}).
     */
    @Bean
    CorsFilter restCorsFilter(CorsSettings settings) {
        CorsFilter filter = new CorsFilter(restApi(settings));
        filter.setCorsProcessor(new ProblemCorsProcessor());
        return filter;
    }

    /** A filter bean would also be run by the servlet container on its own: not this one. */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilterOutsideSecurity(CorsFilter restCorsFilter) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(restCorsFilter);
        registration.setEnabled(false);
        return registration;
    }

    private static CorsConfigurationSource restApi(CorsSettings settings) {
        CorsConfiguration api = new CorsConfiguration();
        api.setAllowedOriginPatterns(settings.allowedOrigins());
        api.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name(), HttpMethod.PATCH.name(),
                HttpMethod.DELETE.name()));
        api.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE));
        api.setExposedHeaders(List.of(HttpHeaders.WWW_AUTHENTICATE));
        api.setAllowCredentials(false);
        api.setMaxAge(PREFLIGHT_CACHE);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", api);
        return source;
    }

    /** Refuses as a problem document, where Spring's processor writes a plain-text body. */
    private static final class ProblemCorsProcessor extends DefaultCorsProcessor {

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody().write(REFUSED);
            response.flush();
            log.info("http.cors_refused");
        }
    }

    private static final byte[] REFUSED = ("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"Cross-origin request refused: its origin is not in chat.cors.allowed-origins, or its "
            + "method or headers are not allowed\"}")
            .getBytes(StandardCharsets.UTF_8);
}
