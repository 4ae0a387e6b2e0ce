package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * With {@code chat.jwt.jwk-set-uri}, RS256 tokens of an external OpenID provider are accepted too,
 * and their {@code sub} becomes a local user on first sight. The provider is a real HTTP server on
 * loopback publishing a real JWK set.
 */
@ChatServerTest
class ExternalProviderTokenTest {

    static final RSAKey PROVIDER_KEY;
    static final RSAKey FORGER_KEY;
    static final HttpServer PROVIDER;

    static {
        try {
            PROVIDER_KEY = new RSAKeyGenerator(2048).keyID("provider-key").generate();
            FORGER_KEY = new RSAKeyGenerator(2048).keyID("provider-key").generate();
            PROVIDER = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] jwks = new JWKSet(PROVIDER_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            PROVIDER.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            PROVIDER.start();
        } catch (JOSEException | IOException failure) {
            throw new ExceptionInInitializerError(failure);
        }
    }

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("chat.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + PROVIDER.getAddress().getPort() + "/jwks");
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop(0);
    }

    @LocalServerPort
    int port;

    static String providerToken(RSAKey key, String subject, String username) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
                .claim("preferred_username", username).claim("given_name", "Ext").claim("family_name", "Ernal")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void providerTokenMapsToALocalUserCreatedOnFirstSight() throws Exception {
        Api api = new Api(port);
        String subject = Api.uniqueName("oidc-subject");
        String username = Api.uniqueName("ext.user");
        String token = providerToken(PROVIDER_KEY, subject, username);
        Response me = api.get("/api/users/me/", token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asString()).isEqualTo(username);
        assertThat(me.json().get("first_name").asString()).isEqualTo("Ext");
        long id = me.json().get("id").asLong();
        assertThat(api.get("/api/users/me/", providerToken(PROVIDER_KEY, subject, "renamed")).json().get("id").asLong())
                .isEqualTo(id);

        TestUser local = api.newUser();
        long chat = api.newChat(local);
        api.post("/api/chats/" + chat + "/participants/", local.access(), Api.json(java.util.Map.of("user_id", id)));
        try (WsClient client = WsClient.connect(api.wsUrl(chat), token)) {
            assertThat(client.next().get("type").asString()).isEqualTo("connection_established");
        }
    }

    @Test
    void providerTokenSignedWithAnotherKeyIsRefused() throws Exception {
        Api api = new Api(port);
        String forged = providerToken(FORGER_KEY, Api.uniqueName("forged"), "forger");
        assertThat(api.get("/api/users/me/", forged).status()).isEqualTo(401);
        TestUser local = api.newUser();
        try (WsClient client = WsClient.connect(api.wsUrl(api.newChat(local)), forged)) {
            assertThat(client.awaitClose()).isEqualTo(new WsClient.Closed(4401, "Invalid token"));
        }
    }
}
