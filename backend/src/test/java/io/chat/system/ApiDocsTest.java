package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document, read over HTTP without a token as a tool would, describes every REST route
 * the server maps, each with its security, request and response schemas and problem+json errors.
 */
@ChatServerTest
class ApiDocsTest {

    private static final Set<String> PUBLIC = Set.of("POST /api/auth/register", "POST /api/token",
            "POST /api/token/refresh");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentListsEveryRestRouteTheServerMaps() {
        JsonNode document = document();
        Set<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> documented.add(operation.getKey().toUpperCase() + " " + path.getKey())));

        Set<String> mapped = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
            String handler = mapping.getValue().getBeanType().getName();
            if (handler.startsWith("org.springdoc.") || handler.endsWith(".BasicErrorController")) {
                continue; // the documentation's own routes, and the container's error page
            }
            Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
            assertThat(methods).as("methods of %s", mapping.getKey()).isNotEmpty();
            for (String path : mapping.getKey().getPatternValues()) {
                methods.forEach(method -> mapped.add(method.name() + " " + path));
            }
        }
        assertThat(mapped).contains("GET /api/chats", "POST /api/chats/{chatId}/messages",
                "GET /api/chats/{chatId}/events");
        assertThat(documented).isEqualTo(mapped);
    }

    @Test
    void everyOperationHasItsSecurityBodiesAndProblemResponses() {
        JsonNode document = document();
        assertThat(document.get("openapi").asString()).startsWith("3.");
        JsonNode bearer = document.at("/components/securitySchemes/bearerAuth");
        assertThat(bearer.get("type").asString()).isEqualTo("http");
        assertThat(bearer.get("scheme").asString()).isEqualTo("bearer");
        assertThat(bearer.get("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(document.get("security").toString()).isEqualTo("[{\"bearerAuth\":[]}]");
        assertThat(document.at("/components/schemas/Problem/properties").propertyNames())
                .contains("type", "title", "status", "detail", "errors");

        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            String route = entry.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = entry.getValue();
            JsonNode responses = operation.get("responses");
            if (PUBLIC.contains(route)) {
                assertThat(operation.get("security")).as("%s is public", route).hasSize(0);
            } else {
                assertThat(operation.has("security")).as("%s keeps the bearer token", route).isFalse();
                assertThat(responses.has("401")).as("%s answers 401", route).isTrue();
            }
            assertThat(responses.propertyNames()).as("%s has 4xx answers", route).anyMatch(s -> s.startsWith("4"));
            responses.properties().forEach(response -> {
                String status = response.getKey();
                JsonNode content = response.getValue().get("content");
                if (status.startsWith("4")) {
                    assertThat(content.propertyNames()).as("%s %s", route, status)
                            .containsExactly("application/problem+json");
                    assertThat(content.at("/application~1problem+json/schema/$ref").asString())
                            .isEqualTo("#/components/schemas/Problem");
                } else if (status.startsWith("2") && !status.equals("204")) {
                    assertThat(content).as("%s %s has a body", route, status).isNotNull();
                    assertThat(schemaOf(document, content.at("/application~1json/schema")))
                            .as("%s %s body schema", route, status).isNotEmpty();
                }
            });
            if (route.startsWith("POST") || route.startsWith("PATCH")) {
                JsonNode body = operation.at("/requestBody/content/application~1json/schema");
                assertThat(schemaOf(document, body)).as("%s request schema", route).isNotEmpty();
            }
        }));
    }

    @Test
    void schemasUseTheWireNames() {
        JsonNode schemas = document().at("/components/schemas");
        assertThat(schemas.at("/MessageView/properties").propertyNames())
                .contains("id", "text", "sender", "timestamp", "is_edited", "is_deleted", "chat_id", "client_id");
        assertThat(schemas.at("/NewMessage/properties").propertyNames()).containsExactlyInAnyOrder("text", "client_id");
        assertThat(schemas.at("/HistoryPage/properties").propertyNames()).contains("results", "has_more");
        schemas.properties().forEach(schema -> {
            JsonNode properties = schema.getValue().get("properties");
            if (properties != null) {
                assertThat(properties.propertyNames()).as(schema.getKey()).allMatch(name -> name.equals(name.toLowerCase()));
            }
        });
    }

    @Test
    void swaggerUiIsServedWithoutATokenAndTheApiStillNeedsOne() throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> ui = browser.send(HttpRequest.newBuilder(URI.create(base() + "/swagger-ui.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(ui.body()).containsIgnoringCase("swagger");
        HttpResponse<String> config = browser.send(
                HttpRequest.newBuilder(URI.create(base() + "/v3/api-docs/swagger-config")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");

        Response unknownGroup = new Api(port).get("/v3/api-docs/no-such-group", null);
        assertThat(unknownGroup.status()).isEqualTo(404);
        assertThat(unknownGroup.contentType()).startsWith("application/problem+json");

        Response chats = new Api(port).get("/api/chats/", null);
        assertThat(chats.status()).isEqualTo(401);
        assertThat(chats.contentType()).startsWith("application/problem+json");
    }

    private JsonNode document() {
        Response response = new Api(port).get("/v3/api-docs", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        return response.json();
    }

    /** The properties (or items) of a schema, following a reference into the components. */
    private static Set<String> schemaOf(JsonNode document, JsonNode schema) {
        if (schema == null || schema.isMissingNode()) {
            return Set.of();
        }
        if (schema.has("$ref")) {
            return schemaOf(document, document.at(schema.get("$ref").asString().substring(1)));
        }
        Set<String> described = new TreeSet<>();
        if (schema.has("properties")) {
            described.addAll(schema.get("properties").propertyNames());
        }
        if (schema.has("items")) {
            described.addAll(schemaOf(document, schema.get("items")));
        }
        return described;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
