package io.chat.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The frame schemas of {@code docs/asyncapi.yaml}, as packaged into the jar (so the copy the server
 * serves is the one checked), keyed by direction and {@code type}. The frame types come from the
 * document's own operations ({@code receive}: client frames, {@code send}: server frames), so a
 * frame type the document leaves out is reported too.
 */
public final class FrameSchemas {

    private static final String DOCUMENT = "static/asyncapi.yaml";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FrameSchemas INSTANCE = load();

    private final Map<String, Schema> clientFrames;
    private final Map<String, Schema> serverFrames;

    private FrameSchemas(Map<String, Schema> clientFrames, Map<String, Schema> serverFrames) {
        this.clientFrames = clientFrames;
        this.serverFrames = serverFrames;
    }

    /** What is wrong with a frame the server sent; empty when it matches its schema. */
    public static List<String> checkServerFrame(String text) {
        return INSTANCE.check("server", INSTANCE.serverFrames, text);
    }

    /** What is wrong with a frame a client sends; empty when it matches its schema. */
    public static List<String> checkClientFrame(String text) {
        return INSTANCE.check("client", INSTANCE.clientFrames, text);
    }

    private List<String> check(String direction, Map<String, Schema> schemas, String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JacksonException notJson) {
            return List.of(direction + " frame is not JSON: " + abbreviated(text));
        }
        JsonNode type = frame == null ? null : frame.get("type");
        if (type == null || !type.isString()) {
            return List.of(direction + " frame without a string type: " + abbreviated(text));
        }
        Schema schema = schemas.get(type.stringValue());
        if (schema == null) {
            return List.of(direction + " frame of a type asyncapi.yaml does not list: " + abbreviated(text));
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(frame)) {
            problems.add(direction + " frame " + abbreviated(text) + ": " + error);
        }
        return problems;
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static FrameSchemas load() {
        JsonNode document;
        try (InputStream in = FrameSchemas.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is not on the classpath: is docs/asyncapi.yaml packaged?");
            }
            document = YAMLMapper.builder().build().readTree(in);
        } catch (IOException unreadable) {
            throw new IllegalStateException("cannot read " + DOCUMENT, unreadable);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        Map<String, Schema> client = new HashMap<>();
        Map<String, Schema> server = new HashMap<>();
        for (JsonNode operation : document.get("operations")) {
            Map<String, Schema> frames = switch (operation.get("action").stringValue()) {
                case "receive" -> client;
                case "send" -> server;
                default -> throw new IllegalStateException("unknown action in " + operation);
            };
            for (JsonNode message : operation.get("messages")) {
                // payloads are references to components/schemas, where the frame schemas live
                JsonNode payload = resolve(document, message).get("payload");
                String type = resolve(document, payload).get("properties").get("type").get("const").stringValue();
                if (frames.put(type, schema(registry, document, payload.get("$ref").stringValue())) != null) {
                    throw new IllegalStateException("two " + operation.get("action") + " frames of type " + type);
                }
            }
        }
        return new FrameSchemas(client, server);
    }

    /**
     * A schema whose root is the frame's schema, with the document's components beside it, so that
     * the {@code #/components/schemas/...} references inside resolve as they do in the document.
     */
    private static Schema schema(SchemaRegistry registry, JsonNode document, String ref) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$ref", ref);
        root.putObject("components").set("schemas", document.get("components").get("schemas").deepCopy());
        return registry.getSchema(root);
    }

    /** Follows {@code $ref}s (local JSON pointers) until a node without one. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").stringValue();
            if (!ref.startsWith("#")) {
                throw new IllegalStateException("only local references are supported: " + ref);
            }
            JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalStateException("dangling reference " + ref);
            }
            node = target;
        }
        return node;
    }
}
