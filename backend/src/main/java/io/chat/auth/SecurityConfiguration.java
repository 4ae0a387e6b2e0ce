package io.chat.auth;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.filter.CorsFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Security by default: every endpoint needs a valid access token but registration, login, refresh,
 * the health and metrics probes, the API description (the OpenAPI document, Swagger UI and the
 * AsyncAPI document, which hold no data), and the static chat page and JavaScript client. CORS
 * runs first on the REST chain (see {@code CrossOriginConfiguration}). The WebSocket endpoint is
 * let through the filter chain because the contract answers a bad token there with close code
 * 4401 after the upgrade, not with HTTP 401; the socket handler verifies the token itself (and
 * {@code OriginCheck} the page's origin, when origins are restricted).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** bcrypt at the configured strength for new hashes; a stored hash of any strength still verifies. */
    @Bean
    PasswordEncoder passwordEncoder(PasswordSettings settings) {
        return new BCryptPasswordEncoder(settings.bcryptStrength());
    }

    /**
     * Spring Security's strict firewall with its own character rules for headers and parameter
     * names, checked without regular expressions (see {@link HeaderCharacters}).
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::assignedAndNotControl);
        firewall.setAllowedHeaderValues(HeaderCharacters::assignedAndNotControlOrTab);
        firewall.setAllowedParameterNames(HeaderCharacters::assignedAndNotControl);
        return firewall;
    }

    /**
     * What the firewall refuses (a {@code %00}, {@code ;} or encoded slash in the path, a control
     * character in a header) is the client's fault: 400 as a problem document, logged in one line
     * without the offending URL, never a stack trace or an HTML page.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
        return (request, response, rejected) -> {
            log.info("http.rejected method={} reason={}", request.getMethod(), rejected.getMessage()
                    .replaceAll("[^\\p{Alnum} .,:'\\-]", "?"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "about:blank");
            body.put("title", HttpStatus.BAD_REQUEST.getReasonPhrase());
            body.put("status", HttpStatus.BAD_REQUEST.value());
            body.put("detail", "The request was rejected: its URL or headers hold characters that are not allowed");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), body);
        };
    }

    /**
     * The upgrade passes the firewall and nothing else: no anonymous user, response headers,
     * security context or exception translation, which a request answered with 101 (or a close
     * code) never uses, and which every (re)connect would otherwise pay for.
     */
    @Bean
    @Order(1)
    SecurityFilterChain websocketUpgrades(HttpSecurity http) throws Exception {
        return stateless(http.securityMatcher("/ws/**"))
                .headers(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .exceptionHandling(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, JwtDecoder accessTokenDecoder, TokenUserResolver resolver,
            JsonMapper json, CorsFilter restCorsFilter) throws Exception {
        return stateless(http)
                .addFilter(restCorsFilter)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/api/auth/register", "/api/token", "/api/token/refresh")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/asyncapi.yaml")
                        .permitAll()
                        // the chat page and the JavaScript client: static files, public like any web page
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/app/**", "/client/**", "/favicon.ico")
                        .permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(accessTokenDecoder)
                                .jwtAuthenticationConverter(source -> authentication(source, resolver)))
                        .authenticationEntryPoint((request, response, failure) ->
                                problem(json, request, response, HttpStatus.UNAUTHORIZED, "Invalid or missing token")))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, failure) ->
                                problem(json, request, response, HttpStatus.UNAUTHORIZED,
                                        "Authentication credentials were not provided"))
                        .accessDeniedHandler((request, response, failure) ->
                                problem(json, request, response, HttpStatus.FORBIDDEN, "Access denied")))
                .build();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }

    private static AbstractAuthenticationToken authentication(Jwt jwt, TokenUserResolver resolver) {
        AuthenticatedUser user;
        try {
            user = resolver.resolve(jwt);
        } catch (InvalidToken unknown) {
            throw new InvalidBearerTokenException(unknown.getMessage());
        }
        return UsernamePasswordAuthenticationToken.authenticated(user, null, AuthorityUtils.NO_AUTHORITIES);
    }

    private static void problem(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
            HttpStatus status, String detail) throws IOException {
        // the path only: query strings may carry tokens and are never logged
        log.info("auth.rejected status={} method={} path={}", status.value(), request.getMethod(),
                request.getRequestURI());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }

}
