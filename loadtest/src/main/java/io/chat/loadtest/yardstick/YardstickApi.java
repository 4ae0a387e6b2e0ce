package io.chat.loadtest.yardstick;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashSet;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST calls the load tool makes, answered from memory in the server's shapes: registration,
 * login, chat creation, history (the tool's read-back), and the heap in Prometheus' text form (the
 * tool's {@code connect} and {@code hold} read the heap before and after opening).
 */
@RestController
class YardstickApi {

    private static final String BEARER = "Bearer ";

    private final Accounts accounts;
    private final Chats chats;
    private final Frames frames;

    YardstickApi(Accounts accounts, Chats chats, Frames frames) {
        this.accounts = accounts;
        this.chats = chats;
        this.frames = frames;
    }

    @PostMapping({"/api/auth/register/", "/api/auth/register"})
    ResponseEntity<ObjectNode> register(@RequestBody JsonNode body) {
        Accounts.Account account = accounts.register(body.path("username").asString(""),
                body.path("password").asString(""), body.path("first_name").asString(""),
                body.path("last_name").asString(""));
        if (account == null) {
            return ResponseEntity.badRequest().body(frames.object().put("detail", "A user with that username already exists."));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(frames.user(frames.object(), account));
    }

    @PostMapping({"/api/token/", "/api/token"})
    ResponseEntity<ObjectNode> token(@RequestBody JsonNode body) {
        String token = accounts.login(body.path("username").asString(""), body.path("password").asString(""));
        if (token == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(frames.object().put("detail", "No active account found with the given credentials"));
        }
        // the refresh token is never used by the tool; the same opaque token stands in for it
        return ResponseEntity.ok(frames.object().put("access", token).put("refresh", token));
    }

    @PostMapping({"/api/chats/", "/api/chats"})
    ResponseEntity<ObjectNode> createChat(@RequestHeader(name = "Authorization", required = false) String authorization,
            @RequestBody JsonNode body) {
        Accounts.Account owner = user(authorization);
        if (owner == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        Set<Long> members = new HashSet<>();
        members.add(owner.id());
        body.path("participant_ids").forEach(id -> members.add(id.asLong()));
        Chats.Chat chat = chats.create(body.path("name").asString(""), Set.copyOf(members));
        return ResponseEntity.status(HttpStatus.CREATED).body(frames.object().put("id", chat.id).put("name", chat.name));
    }

    @GetMapping({"/api/chats/{id}/messages/", "/api/chats/{id}/messages"})
    ResponseEntity<ObjectNode> history(@RequestHeader(name = "Authorization", required = false) String authorization,
            @PathVariable long id, @RequestParam(name = "after_id", defaultValue = "0") long afterId,
            @RequestParam(defaultValue = "50") int limit) {
        if (user(authorization) == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        Chats.Chat chat = chats.find(id);
        if (chat == null) {
            return ResponseEntity.notFound().build();
        }
        Chats.Page page = chats.history(chat, afterId, Math.max(1, Math.min(limit, 200)));
        ObjectNode answer = frames.object();
        ArrayNode results = answer.putArray("results");
        page.results().forEach(message -> frames.write(results.addObject(), message));
        return ResponseEntity.ok(answer.put("has_more", page.hasMore()));
    }

    /** The heap as Micrometer names it ({@code jvm_memory_used_bytes{area="heap",id=...}}), nothing else. */
    @GetMapping(path = "/actuator/prometheus", produces = MediaType.TEXT_PLAIN_VALUE)
    String prometheus() {
        StringBuilder text = new StringBuilder("# TYPE jvm_memory_used_bytes gauge\n");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                text.append("jvm_memory_used_bytes{area=\"heap\",id=\"").append(pool.getName()).append("\"} ")
                        .append((double) pool.getUsage().getUsed()).append('\n');
            }
        }
        return text.toString();
    }

    private Accounts.Account user(String authorization) {
        return authorization != null && authorization.startsWith(BEARER)
                ? accounts.byToken(authorization.substring(BEARER.length())) : null;
    }
}
