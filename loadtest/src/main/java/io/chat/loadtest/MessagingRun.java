package io.chat.loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code fanout} and {@code rooms} scenarios: clients connect, some send at a fixed pace, and
 * every delivery is timed from the send time the message carries.
 */
final class MessagingRun {

    /** rooms: users are shared by this many groups of chats, so set-up registers few users. */
    private static final int ROOM_USER_GROUPS = 20;

    private final Options options;
    private final ChatApi api;
    private final DeliveryStats stats = new DeliveryStats();
    private final List<LoadClient> clients = new ArrayList<>();

    MessagingRun(Options options) {
        this.options = options;
        this.api = new ChatApi(options.urls().get(0));
    }

    Result fanout() throws Exception {
        Progress.phase("fanout", "registering " + options.members() + " users");
        List<ChatApi.User> members = api.users(options.members());
        long chat = api.chat(members.get(0), members);
        for (ChatApi.User member : members) {
            connect(chat, member);
        }
        awaitEstablished();
        Progress.phase("fanout", "sending for " + options.duration().toSeconds() + " s");
        List<LoadClient> senders = clients.subList(0, options.senders());
        long elapsedNanos = send(senders, options.rate());
        return figures("fanout", options.members(), elapsedNanos)
                .put("members", options.members()).put("senders", options.senders())
                .put("offered_deliveries_per_s", options.rate() * options.members());
    }

    Result rooms() throws Exception {
        int size = options.chatSize();
        int groups = Math.min(ROOM_USER_GROUPS, options.chats());
        Progress.phase("rooms", "registering " + groups * size + " users, creating " + options.chats() + " chats");
        List<ChatApi.User> users = api.users(groups * size);
        for (int c = 0; c < options.chats(); c++) {
            int group = c % groups;
            List<ChatApi.User> members = users.subList(group * size, group * size + size);
            long chat = api.chat(members.get(0), members);
            for (ChatApi.User member : members) {
                connect(chat, member);
            }
        }
        awaitEstablished();
        Progress.phase("rooms", "sending for " + options.duration().toSeconds() + " s");
        double totalRate = options.rate() * clients.size();
        long elapsedNanos = send(clients, totalRate);
        return figures("rooms", size, elapsedNanos)
                .put("chats", options.chats()).put("chat_size", size)
                .put("offered_deliveries_per_s", totalRate * size);
    }

    private void connect(long chat, ChatApi.User user) {
        URI instance = options.urls().get(clients.size() % options.urls().size());
        clients.add(LoadClient.open(instance, chat, user.access(), stats));
    }

    private void awaitEstablished() throws Exception {
        for (LoadClient client : clients) {
            client.established.get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends at a fixed total rate, round-robin over the senders; returns the sending time. */
    private long send(List<LoadClient> senders, double messagesPerSecond) throws InterruptedException {
        long periodNanos = (long) (1_000_000_000L / messagesPerSecond);
        long total = (long) (messagesPerSecond * options.duration().toSeconds());
        long start = System.nanoTime();
        for (int sequence = 0; sequence < total; sequence++) {
            long due = start + sequence * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            stats.sent();
            senders.get(sequence % senders.size()).send(MessageFrames.text(sequence, System.nanoTime()));
        }
        long elapsed = System.nanoTime() - start;
        Thread.sleep(options.drain().toMillis());
        clients.forEach(LoadClient::close);
        return elapsed;
    }

    private Result figures(String scenario, int recipientsPerMessage, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        return new Result(scenario)
                .put("instances", options.urls().size())
                .put("duration_s", seconds)
                .put("messages_sent", stats.sentCount())
                .put("messages_stored", stats.storedCount())
                .put("deliveries", stats.deliveryCount())
                .put("deliveries_per_s", stats.deliveryCount() / seconds)
                .put("latency_p50_ms", stats.percentileMillis(50))
                .put("latency_p95_ms", stats.percentileMillis(95))
                .put("latency_p99_ms", stats.percentileMillis(99))
                .put("latency_max_ms", stats.maxMillis())
                .put("lost_deliveries", stats.lost(recipientsPerMessage))
                .put("duplicated_deliveries", stats.duplicateCount())
                .put("unanswered_sends", stats.unanswered())
                .put("errors", stats.errorCount())
                .put("rate_limited", stats.rateLimitedCount())
                .put("load_average", Result.loadAverage());
    }
}
