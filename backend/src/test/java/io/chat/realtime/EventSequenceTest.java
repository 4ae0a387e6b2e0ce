package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * The chat's event sequence on one instance: every state change numbered 1, 2, 3, ... in commit
 * order; each connection gets the numbered events in order, once, with no gap, whatever the
 * senders do concurrently; a reconnect with {@code ?since_seq=N} replays every event after N with
 * its message's current state, capped, then goes on live.
 */
@ChatServerTest
@TestPropertySource(properties = {"chat.limits.messages-per-minute=100000", "chat.recovery.max-events=20"})
class EventSequenceTest {

    static final Duration QUIET = Duration.ofMillis(300);

    @LocalServerPort
    int port;

    Api api;
    TestUser alice;
    TestUser bob;
    long chat;

    @BeforeEach
    void aliceAndBob() {
        api = new Api(port);
        alice = api.newUser();
        bob = api.newUser();
        chat = api.newChat(alice, bob);
    }

    @Test
    void everyKindOfChangeTakesTheNextNumberWhetherMadeOverTheSocketOrRest() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            List<JsonNode> toAlice = new ArrayList<>();
            a.sendJson(Map.of("type", "message", "text", "one"));
            toAlice.add(a.next());
            long one = toAlice.get(0).get("data").get("id").asLong();
            long two = post(alice, "two");
            toAlice.add(a.next());
            a.sendJson(Map.of("type", "edit_message", "message_id", one, "text", "one, edited"));
            toAlice.add(a.next());
            api.patch(messagePath(two), alice.access(), Api.json(Map.of("text", "two, edited")));
            toAlice.add(a.next());
            a.sendJson(Map.of("type", "delete_message", "message_id", one));
            toAlice.add(a.next());
            api.delete(messagePath(two), alice.access());
            toAlice.add(a.next());
            b.sendJson(Map.of("type", "read_messages"));
            toAlice.add(a.next());
            a.sendJson(Map.of("type", "typing", "is_typing", true));

            assertThat(toAlice).extracting(frame -> frame.get("seq").asLong())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(toAlice.get(6).toString()).isEqualTo("{\"type\":\"messages_read\",\"seq\":7,\"user_id\":"
                    + bob.id() + ",\"username\":\"" + bob.username() + "\",\"last_read_message_id\":" + two + "}");
            List<JsonNode> toBob = frames(b, 6);
            assertThat(toBob).extracting(frame -> frame.get("type").asString()).containsExactly("message", "message",
                    "message_updated", "message_updated", "message_deleted", "message_deleted");
            assertThat(toBob).isEqualTo(toAlice.subList(0, 6));
            assertThat(b.next().toString()).as("typing is not numbered").isEqualTo("{\"type\":\"typing\",\"user_id\":"
                    + alice.id() + ",\"username\":\"" + alice.username() + "\",\"is_typing\":true}");
            b.expectSilence(QUIET);
            a.expectSilence(QUIET);
        }
        WsClient.Reconnected again = WsClient.reconnect(api.wsUrl(chat), bob.access());
        try (WsClient b = again.client()) {
            assertThat(again.greeting().toString()).isEqualTo("{\"type\":\"connection_established\",\"message\":"
                    + "\"Successfully connected to chat\",\"chat_id\":" + chat + ",\"seq\":7}");
        }
    }

    @Test
    void manyConcurrentSendersStillReachEveryConnectionInOrderOnceWithoutGaps() throws Exception {
        int senders = 20;
        int each = 15;
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            users.add(api.newUser());
        }
        long crowded = api.newChat(alice, users.toArray(TestUser[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try (WsClient reader = WsClient.open(api.wsUrl(crowded), alice.access())) {
            List<Future<?>> sending = new ArrayList<>();
            for (TestUser user : users) {
                sending.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        assertThat(api.post("/api/chats/" + crowded + "/messages/", user.access(),
                                Api.json(Map.of("text", user.username() + " " + i))).status()).isEqualTo(201);
                    }
                }));
            }
            for (Future<?> sent : sending) {
                sent.get();
            }
            List<JsonNode> received = frames(reader, senders * each);
            assertThat(received).extracting(frame -> frame.get("seq").asLong())
                    .containsExactlyElementsOf(range(1, senders * each));
            List<Long> ids = received.stream().map(frame -> frame.get("data").get("id").asLong()).toList();
            assertThat(ids).as("ids grow in the order of the numbers").isSorted().doesNotHaveDuplicates();
            assertThat(ids).isEqualTo(api.messageIds(crowded, alice));
            reader.expectSilence(QUIET);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sinceSeqReplaysEditsDeletesAndReadsMadeWhileAwayWithCurrentStateThenGoesLive() {
        long seen;
        try (WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            b.sendJson(Map.of("type", "message", "text", "before"));
            seen = b.next().get("seq").asLong();
        }
        long kept = post(alice, "kept");
        long gone = post(alice, "gone");
        api.patch(messagePath(kept), alice.access(), Api.json(Map.of("text", "kept, edited")));
        api.delete(messagePath(gone), alice.access());
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            a.sendJson(Map.of("type", "read_messages"));
            a.expectSilence(QUIET);
        }

        WsClient.Reconnected again = WsClient.reconnect(api.wsUrl(chat) + "?since_seq=" + seen, bob.access());
        try (WsClient b = again.client()) {
            assertThat(again.greeting().toString()).isEqualTo("{\"type\":\"connection_established\",\"message\":"
                    + "\"Successfully connected to chat\",\"chat_id\":" + chat + ",\"seq\":" + (seen + 5)
                    + ",\"recovered\":true}");
            List<JsonNode> replayed = frames(b, 5);
            assertThat(replayed).extracting(frame -> frame.get("seq").asLong()).containsExactlyElementsOf(
                    range(seen + 1, seen + 5));
            assertThat(replayed).extracting(frame -> frame.get("type").asString()).containsExactly("message",
                    "message", "message_updated", "message_deleted", "messages_read");
            JsonNode keptNow = replayed.get(0).get("data");
            assertThat(keptNow.get("text").asString()).as("current state").isEqualTo("kept, edited");
            assertThat(keptNow.get("is_edited").asBoolean()).isTrue();
            JsonNode goneNow = replayed.get(1).get("data");
            assertThat(goneNow.get("text").asString()).isEmpty();
            assertThat(goneNow.get("is_deleted").asBoolean()).isTrue();
            assertThat(replayed.get(2).get("data")).isEqualTo(keptNow);
            assertThat(replayed.get(3).get("data")).isEqualTo(goneNow);
            assertThat(replayed.get(4).get("user_id").asLong()).isEqualTo(alice.id());
            assertThat(replayed.get(4).get("last_read_message_id").asLong()).isEqualTo(gone);
            // the same as the REST history of events
            assertThat(replayed).isEqualTo(api.events(chat, seen, bob));

            long live = post(alice, "live");
            JsonNode next = b.next();
            assertThat(next.get("seq").asLong()).isEqualTo(seen + 6);
            assertThat(next.get("data").get("id").asLong()).isEqualTo(live);
            b.expectSilence(QUIET);
        }
    }

    @Test
    void aReadersOwnReadReceiptIsNotReplayedToItAsItIsNotSentToItLive() {
        long before = post(alice, "hello");
        try (WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            b.sendJson(Map.of("type", "read_messages"));
            b.expectSilence(QUIET);
        }
        long after = post(alice, "after the read");
        WsClient.Reconnected again = WsClient.reconnect(api.wsUrl(chat) + "?since_seq=1", bob.access());
        try (WsClient b = again.client()) {
            assertThat(again.greeting().get("recovered").asBoolean()).isTrue();
            JsonNode replayed = b.next();
            assertThat(replayed.get("seq").asLong()).isEqualTo(3);
            assertThat(replayed.get("data").get("id").asLong()).isEqualTo(after);
            b.expectSilence(QUIET);
        }
        assertThat(before).isLessThan(after);
    }

    @Test
    void overTheCapOnlyTheLatestEventsAreReplayedAndTheGreetingSaysNotRecovered() {
        for (int i = 0; i < 25; i++) {
            post(alice, "m" + i);
        }
        try (WsClient b = WsClient.connect(api.wsUrl(chat) + "?since_seq=0", bob.access())) {
            JsonNode greeting = b.next();
            assertThat(greeting.get("seq").asLong()).isEqualTo(25);
            assertThat(greeting.get("recovered").asBoolean()).isFalse();
            assertThat(frames(b, 20)).extracting(frame -> frame.get("seq").asLong())
                    .containsExactlyElementsOf(range(6, 25));
            b.expectSilence(QUIET);
        }
        WsClient.Reconnected again = WsClient.reconnect(api.wsUrl(chat) + "?since_seq=5", bob.access());
        try (WsClient b = again.client()) {
            assertThat(again.greeting().get("recovered").asBoolean()).as("exactly the cap").isTrue();
            assertThat(frames(b, 20)).extracting(frame -> frame.get("seq").asLong())
                    .containsExactlyElementsOf(range(6, 25));
            b.expectSilence(QUIET);
        }
    }

    @Test
    void lastMessageIdReplaysMessagesOnlyWithTheirNumbersAndSaysWhetherItWasComplete() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            ids.add(post(alice, "m" + i));
        }
        api.patch(messagePath(ids.get(21)), alice.access(), Api.json(Map.of("text", "edited")));
        try (WsClient b = WsClient.connect(api.wsUrl(chat) + "?last_message_id=" + ids.get(0), bob.access())) {
            JsonNode greeting = b.next();
            assertThat(greeting.get("seq").asLong()).isEqualTo(23);
            assertThat(greeting.get("recovered").asBoolean()).isFalse();
            List<JsonNode> replayed = frames(b, 20);
            assertThat(replayed).extracting(frame -> frame.get("data").get("id").asLong())
                    .containsExactlyElementsOf(ids.subList(2, 22));
            assertThat(replayed).extracting(frame -> frame.get("seq").asLong())
                    .containsExactlyElementsOf(range(3, 22));
            assertThat(replayed.get(19).get("data").get("text").asString()).isEqualTo("edited");
            b.expectSilence(QUIET);
        }
        WsClient.Reconnected again = WsClient.reconnect(api.wsUrl(chat) + "?last_message_id=" + ids.get(5),
                bob.access());
        try (WsClient b = again.client()) {
            assertThat(again.greeting().get("recovered").asBoolean()).isTrue();
            assertThat(frames(b, 16)).extracting(frame -> frame.get("data").get("id").asLong())
                    .containsExactlyElementsOf(ids.subList(6, 22));
            b.expectSilence(QUIET);
        }
    }

    @Test
    void sinceSeqBeyondTheLatestReplaysNothingAndTakesOnlyLaterEvents() {
        post(alice, "one");
        try (WsClient b = WsClient.connect(api.wsUrl(chat) + "?since_seq=3", bob.access())) {
            JsonNode greeting = b.next();
            assertThat(greeting.get("seq").asLong()).isEqualTo(1);
            assertThat(greeting.get("recovered").asBoolean()).isTrue();
            post(alice, "two");
            post(alice, "three");
            long fourth = post(alice, "four");
            JsonNode next = b.next();
            assertThat(next.get("seq").asLong()).as("2 and 3 are what the client said it has").isEqualTo(4);
            assertThat(next.get("data").get("id").asLong()).isEqualTo(fourth);
        }
    }

    @Test
    void malformedRecoveryParametersAreIgnoredAndSinceSeqWinsOverLastMessageId() {
        long first = post(alice, "one");
        post(alice, "two");
        try (WsClient b = WsClient.connect(api.wsUrl(chat) + "?since_seq=-1&last_message_id=abc", bob.access())) {
            assertThat(b.next().has("recovered")).isFalse();
            b.expectSilence(QUIET);
        }
        WsClient.Reconnected again = WsClient.reconnect(api.wsUrl(chat) + "?since_seq=1&last_message_id=" + first,
                bob.access());
        try (WsClient b = again.client()) {
            assertThat(again.greeting().get("recovered").asBoolean()).isTrue();
            assertThat(b.next().get("seq").asLong()).isEqualTo(2);
            b.expectSilence(QUIET);
        }
    }

    @Test
    void reconnectingBySinceSeqWhileOthersSendMissesNothingAndRepeatsNothing() throws Exception {
        TestUser carol = api.newUser();
        long busy = api.newChat(alice, bob, carol);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Long> seen = new ArrayList<>();
        try {
            Future<?> aliceSends = pool.submit(() -> sendMany(busy, alice, 150));
            Future<?> carolSends = pool.submit(() -> sendMany(busy, carol, 150));
            long last = 0;
            while (!aliceSends.isDone() || !carolSends.isDone()) {
                try (WsClient b = WsClient.reconnect(api.wsUrl(busy) + "?since_seq=" + last, bob.access()).client()) {
                    long deadline = System.currentTimeMillis() + 150;
                    while (System.currentTimeMillis() < deadline) {
                        JsonNode frame = b.poll(Duration.ofMillis(50));
                        if (frame != null) {
                            seen.add(frame.get("seq").asLong());
                        }
                    }
                    last = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
                }
            }
            aliceSends.get();
            carolSends.get();
            WsClient.Reconnected end = WsClient.reconnect(api.wsUrl(busy) + "?since_seq=" + last, bob.access());
            try (WsClient b = end.client()) {
                long total = end.greeting().get("seq").asLong();
                for (long seq = last + 1; seq <= total; seq++) {
                    seen.add(b.next().get("seq").asLong());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).containsExactlyElementsOf(range(1, 300));
    }

    private void sendMany(long chatId, TestUser user, int count) {
        for (int i = 0; i < count; i++) {
            api.post("/api/chats/" + chatId + "/messages/", user.access(), Api.json(Map.of("text", "m" + i)));
        }
    }

    private long post(TestUser user, String text) {
        return api.post("/api/chats/" + chat + "/messages/", user.access(), Api.json(Map.of("text", text))).json()
                .get("id").asLong();
    }

    private String messagePath(long id) {
        return "/api/chats/" + chat + "/messages/" + id + "/";
    }

    private static List<JsonNode> frames(WsClient client, int count) {
        List<JsonNode> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(client.next());
        }
        return frames;
    }

    private static List<Long> range(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            range.add(i);
        }
        return range;
    }
}
