package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

class ReadBackTest {

    private static final ChatApi.User READER = new ChatApi.User(1, "lt_reader", "new-token");
    private static final ChatApi.User EXPIRED = new ChatApi.User(2, "lt_expired", "old-token");

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;

    private static BitSet of(int... sequences) {
        BitSet set = new BitSet();
        for (int sequence : sequences) {
            set.set(sequence);
        }
        return set;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theDatabaseAndTheDeliveriesAgree() {
        ReadBack.Comparison comparison = new ReadBack.Found(of(0, 1, 2), 3).compareWith(of(0, 1, 2), of(0, 1, 2));
        assertThat(comparison.total()).isZero();
    }

    @Test
    void aBacklogStillDeliveredDuringTheReadBackIsNoMismatch() {
        // 2 was delivered after the drain and read back; 3 was delivered after the drain, stored after the reader
        // went past
        ReadBack.Comparison comparison = new ReadBack.Found(of(0, 1, 2), 3).compareWith(of(0, 1), of(0, 1, 2, 3));
        assertThat(comparison.total()).isZero();
    }

    @Test
    void tellsEachWayTheyDisagree() {
        // 3 delivered but absent; 4 and 5 stored but never delivered; one of them stored twice
        ReadBack.Comparison comparison = new ReadBack.Found(of(0, 1, 4, 5), 5).compareWith(of(0, 1, 3), of(0, 1, 3));
        assertThat(comparison).isEqualTo(new ReadBack.Comparison(1, 2, 1));
        assertThat(comparison.total()).isEqualTo(4);
        assertThat(comparison.describe()).isEqualTo("1 delivered but not in the database, "
                + "2 in the database but never delivered, 1 stored twice");
    }

    @Test
    void readsEveryPageKeepsOnlyTheToolsMessagesAndGoesOnFromWhereItStopped() throws Exception {
        // 450 messages: the tool's sequences 0..449 as ids 1..450, and one message of somebody else
        List<String> messages = new ArrayList<>();
        for (int id = 1; id <= 450; id++) {
            messages.add(message(id, MessageFrames.text(id - 1, 5)));
        }
        messages.add(message(451, "hello"));
        ReadBack readBack = new ReadBack(serve(messages), List.of(new ReadBack.Chat(7, READER)));

        ReadBack.Found first = readBack.read(0, Duration.ofSeconds(10));
        assertThat(first.rows()).isEqualTo(450);
        assertThat(first.sequences().cardinality()).isEqualTo(450);
        assertThat(requests).extracting(request -> request.replaceAll(" .*", "")).containsExactly(
                "/api/chats/7/messages/?after_id=0&limit=200", "/api/chats/7/messages/?after_id=200&limit=200",
                "/api/chats/7/messages/?after_id=400&limit=200");

        messages.add(message(452, MessageFrames.text(450, 5)));
        messages.add(message(453, MessageFrames.text(451, 5)));
        requests.clear();
        ReadBack.Found second = readBack.read(451, Duration.ofSeconds(10));
        assertThat(requests).extracting(request -> request.replaceAll(" .*", ""))
                .containsExactly("/api/chats/7/messages/?after_id=451&limit=200");
        assertThat(second.rows()).isEqualTo(1); // 450 belongs to the step before
        assertThat(second.sequences()).isEqualTo(of(451));
    }

    @Test
    void anExpiredTokenIsTakenAgainOnce() throws Exception {
        ReadBack readBack = new ReadBack(serve(List.of(message(1, MessageFrames.text(0, 5)))),
                List.of(new ReadBack.Chat(7, EXPIRED)));
        assertThat(readBack.read(0, Duration.ofSeconds(10)).rows()).isEqualTo(1);
        assertThat(readBack.read(0, Duration.ofSeconds(10)).rows()).isZero(); // nothing new, and no second login
        assertThat(requests).extracting(request -> request.replaceAll(".* ", "")).containsExactly(
                "old-token", "token", "new-token", "new-token");
    }

    @Test
    void aReadBackThatMissesItsDeadlineLeavesTheFiguresUnknown() throws Exception {
        delayMillis = 1500;
        ReadBack readBack = new ReadBack(serve(List.of(message(1, MessageFrames.text(0, 5)))),
                List.of(new ReadBack.Chat(7, READER)));
        long start = System.nanoTime();
        assertThat(readBack.read(0, Duration.ofMillis(300))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    private static String message(long id, String text) {
        return "{\"id\":" + id + ",\"text\":\"" + text + "\",\"sender\":{\"id\":99,\"username\":\"x\"}}";
    }

    /** A server with history in pages of 200 that accepts only "new-token", which /api/token/ gives. */
    private ChatApi serve(List<String> messages) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/token/", exchange -> {
            requests.add("/api/token/ token");
            answer(exchange, 200, "{\"access\":\"new-token\",\"refresh\":\"r\"}");
        });
        server.createContext("/api/chats/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(exchange.getRequestURI() + " " + auth);
            sleep(delayMillis);
            if (!"Bearer new-token".equals(auth)) {
                answer(exchange, 401, "{\"detail\":\"expired\"}");
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            long after = Long.parseLong(query.replaceAll(".*after_id=(\\d+).*", "$1"));
            List<String> page = new ArrayList<>();
            boolean more = false;
            for (String message : messages) {
                long id = Long.parseLong(message.replaceAll("^\\{\"id\":(\\d+).*", "$1"));
                if (id > after) {
                    if (page.size() == ChatApi.HISTORY_PAGE) {
                        more = true;
                        break;
                    }
                    page.add(message);
                }
            }
            answer(exchange, 200, "{\"results\":[" + String.join(",", page) + "],\"has_more\":" + more + "}");
        });
        server.start();
        return new ChatApi(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
