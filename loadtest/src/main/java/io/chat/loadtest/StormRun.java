package io.chat.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code storm} scenario: many phones in small chats with steady traffic, one instance stopped
 * under them (SIGKILL, or SIGTERM and its drain), and its clients reconnecting to the others as
 * the JS client would ({@link StormClient}, {@link ReconnectPolicy}). It measures what a user
 * notices: how long until every one of them is live again, how long each reconnect took, who was
 * refused and with what, whether anything was missed or came twice (each client's
 * {@link SeqLedger}, held against the chat's latest seq read over REST at the end), and whether
 * the clients that were not on the victim noticed the storm in their delivery latency.
 *
 * <p>Traffic is open-loop, as in the other messaging scenarios: one pacer sends each chat's
 * messages in turn, each from one of the chat's live clients chosen at random, stamped with the
 * time it was due.
 */
final class StormRun {

    private static final String SCENARIO = StormOptions.SCENARIO;
    private static final int PARALLEL_SETUP = 8;
    /** A first open, retries included (refusals back off up to 30 s each), gives up after this. */
    private static final Duration FIRST_OPEN_TIMEOUT = Duration.ofSeconds(120);
    /** After the drain: what was sent last reaches the others, and no reconnect is still starting. */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long EXIT_POLL_MILLIS = 20;
    /** Seconds after the kill whose worst survivor latency is listed: the storm, not the quiet after it. */
    private static final int WORST_BY_SECOND = 30;

    private final StormOptions options;
    private final StormFigures figures = new StormFigures();
    private final List<StormClient> clients = new ArrayList<>();
    /** Each chat's id and its clients, in the order the pacer serves them. */
    private final List<Long> chatIds = new ArrayList<>();
    private final List<List<StormClient>> members = new ArrayList<>();
    private final AtomicInteger nextSurvivor = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile boolean sending = true;
    private final AtomicInteger messagesSent = new AtomicInteger();

    StormRun(StormOptions options) {
        this.options = options;
    }

    Result run() throws Exception {
        ProcessHandle victim = ProcessHandle.of(options.victimPid()).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new Options.InvalidOptions("--victim-pid " + options.victimPid()
                        + ": no such process; give the pid of the server at " + options.victimUrl()));
        List<URI> survivors = options.survivors();
        ChatApi api = new ChatApi(survivors.get(0));
        Progress.phase(SCENARIO, "registering " + options.clients() + " users, creating " + options.chats()
                + " chats of " + options.chatSize());
        List<ChatApi.User> users = api.users(options.clients());
        List<Long> created = createChats(api, users);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        StormClient.Shared shared = new StormClient.Shared(scheduler,
                () -> survivors.get(Math.floorMod(nextSurvivor.getAndIncrement(), survivors.size())), figures);
        for (int i = 0; i < users.size(); i++) {
            int chat = i / options.chatSize();
            if (chat == members.size()) {
                chatIds.add(created.get(chat));
                members.add(new ArrayList<>());
            }
            int instance = i % options.urls().size();
            StormClient client = new StormClient(users.get(i), created.get(chat), instance == options.victim(),
                    shared);
            clients.add(client);
            members.get(chat).add(client);
        }

        long openFailures = openAll();
        long onVictim = clients.stream().filter(client -> client.onVictim && client.live()).count();
        Progress.phase(SCENARIO, (clients.size() - openFailures) + " clients live (" + onVictim + " on the victim "
                + options.victimUrl() + "); traffic for " + options.before().toSeconds() + " s before the kill");
        Thread pacer = new Thread(this::pace, "storm-pacer");
        pacer.start();
        Thread.sleep(options.before().toMillis());

        long kill = System.nanoTime();
        figures.killed(kill);
        Progress.phase(SCENARIO, (options.kill() == StormOptions.Kill.CRASH ? "SIGKILL" : "SIGTERM") + " to "
                + options.victimPid() + "; observing for " + options.after().toSeconds() + " s");
        CompletableFuture<Long> exited = watchExit(victim);
        boolean signalled = options.kill() == StormOptions.Kill.CRASH ? victim.destroyForcibly() : victim.destroy();
        if (!signalled) {
            Progress.phase(SCENARIO, "the signal was refused: is process " + options.victimPid() + " another user's?");
        }
        Thread.sleep(options.after().toMillis());
        long windowEnd = System.nanoTime();
        for (StormClient client : clients) {
            if (!client.onVictim) {
                figures.quiet(client.quietAtEnd(kill, windowEnd));
            }
        }

        sending = false;
        pacer.join();
        drain();
        clients.forEach(StormClient::freeze);
        Thread.sleep(SETTLE.toMillis());
        Progress.phase(SCENARIO, "reading each chat's latest seq over REST");
        Map<Long, Long> finalSeqs = finalSeqs(survivors.get(0));
        Result result = figures(openFailures, onVictim, kill, windowEnd, finalSeqs,
                exited.getNow(null));
        clients.forEach(StormClient::stop);
        scheduler.shutdownNow();
        return result;
    }

    /**
     * When the victim's process is gone, polled every {@value #EXIT_POLL_MILLIS} ms: for a process
     * that is not its child the JDK's {@code onExit()} polls with a growing interval, too coarse to
     * time a drain by.
     */
    private static CompletableFuture<Long> watchExit(ProcessHandle victim) {
        CompletableFuture<Long> exited = new CompletableFuture<>();
        Thread watch = new Thread(() -> {
            while (victim.isAlive()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(EXIT_POLL_MILLIS));
            }
            exited.complete(System.nanoTime());
        }, "storm-victim-exit");
        watch.setDaemon(true);
        watch.start();
        return exited;
    }

    private List<Long> createChats(ChatApi api, List<ChatApi.User> users) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SETUP);
        try {
            List<Future<Long>> pending = new ArrayList<>();
            for (int from = 0; from < users.size(); from += options.chatSize()) {
                List<ChatApi.User> chat = users.subList(from, Math.min(users.size(), from + options.chatSize()));
                pending.add(pool.submit(() -> api.chat(chat.get(0), chat)));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Long> id : pending) {
                ids.add(id.get());
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Opens every client, at most {@code --open-concurrency} at once; returns how many failed. */
    private long openAll() throws InterruptedException {
        Progress.phase(SCENARIO, "opening " + clients.size() + " sockets, " + options.openConcurrency() + " at once");
        Semaphore inFlight = new Semaphore(options.openConcurrency());
        for (int i = 0; i < clients.size(); i++) {
            inFlight.acquire();
            StormClient client = clients.get(i);
            client.open(options.urls().get(i % options.urls().size()));
            client.firstOpen.completeOnTimeout(false, FIRST_OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .whenComplete((live, failure) -> {
                        if (!live) {
                            client.stop(); // out of the storm: no later greeting makes it live again
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(options.openConcurrency());
        long failed = clients.stream().filter(client -> !client.firstOpen.join()).count();
        if (failed > 0) {
            Map<String, Long> reasons = new TreeMap<>();
            clients.stream().filter(client -> !client.firstOpen.join())
                    .forEach(client -> reasons.merge(String.valueOf(client.gaveUpWith()), 1L, Long::sum));
            Progress.phase(SCENARIO, failed + " first opens failed, left out of the storm: " + reasons);
        }
        return failed;
    }

    /** Each chat in turn, from one of its live clients (any of them, queued, when none is live). */
    private void pace() {
        int chats = members.size();
        long periodNanos = (long) (1e9 / (options.rate() * chats));
        long start = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int k = 0; sending; k++) {
            long due = start + k * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0 && sending) {
                LockSupport.parkNanos(Math.min(wait, 100_000_000L));
            }
            if (!sending) {
                return;
            }
            List<StormClient> chat = members.get(k % chats);
            int first = random.nextInt(chat.size());
            StormClient sender = chat.get(first);
            for (int j = 0; j < chat.size(); j++) {
                StormClient candidate = chat.get((first + j) % chat.size());
                if (candidate.isLive()) {
                    sender = candidate;
                    break;
                }
            }
            messagesSent.incrementAndGet();
            sender.send(k, due);
        }
    }

    /** Waits until every live client's sends are acknowledged, at most {@code --drain}. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + options.drain().toNanos();
        while (System.nanoTime() < deadline
                && clients.stream().anyMatch(client -> client.live() && client.unacknowledged() > 0)) {
            Thread.sleep(100);
        }
    }

    /** Each chat's latest seq, from the events after the latest any of its clients saw. */
    private Map<Long, Long> finalSeqs(URI instance) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SETUP);
        try {
            List<Future<Long>> pending = new ArrayList<>();
            for (List<StormClient> chat : members) {
                pending.add(pool.submit(() -> latestSeq(instance, chat)));
            }
            Map<Long, Long> seqs = new TreeMap<>();
            for (int c = 0; c < members.size(); c++) {
                seqs.put(chatIds.get(c), pending.get(c).get());
            }
            return seqs;
        } finally {
            pool.shutdownNow();
        }
    }

    private long latestSeq(URI instance, List<StormClient> chat) throws IOException, InterruptedException {
        long latest = chat.stream().mapToLong(StormClient::lastSeen).max().orElse(0);
        StormClient reader = chat.get(0);
        while (true) {
            String path = "/api/chats/" + reader.chatId + "/events/?after_seq=" + Math.max(0, latest) + "&limit=1000";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(instance.resolve(path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + reader.user.access()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode()
                        + (response.statusCode() == 401 ? " (the tokens expired: start the servers with a longer"
                                + " --chat.jwt.access-token-lifetime)" : "") + ": " + response.body());
            }
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode event : page.path("results")) {
                latest = Math.max(latest, event.path("seq").asLong(latest));
            }
            if (!page.path("has_more").asBoolean(false)) {
                return latest;
            }
        }
    }

    private Result figures(long openFailures, long onVictim, long kill, long windowEnd, Map<Long, Long> finalSeqs,
            Long exitedNanos) {
        List<Double> liveAgain = new ArrayList<>();
        long victimsNotBack = 0;
        long missed = 0;
        long missedByFailed = 0;
        long duplicated = 0;
        long unacknowledged = 0;
        long notLive = 0;
        Map<String, Long> gaveUp = new TreeMap<>();
        for (StormClient client : clients) {
            if (!client.firstOpen.join()) {
                continue;
            }
            if (client.onVictim) {
                long back = client.liveAgainNanos();
                if (back > 0) {
                    liveAgain.add((back - kill) / 1e9);
                } else {
                    victimsNotBack++;
                }
            }
            String gaveUpWith = client.gaveUpWith();
            if (gaveUpWith != null) {
                gaveUp.merge(gaveUpWith, 1L, Long::sum);
            } else if (!client.live()) {
                notLive++;
            }
            long clientMissed = client.missed(finalSeqs.get(client.chatId));
            if (client.live()) {
                missed += clientMissed;
            } else {
                missedByFailed += clientMissed;
            }
            duplicated += client.duplicated();
            unacknowledged += client.unacknowledged();
        }
        Collections.sort(liveAgain);
        Double allLive = victimsNotBack == 0 && !liveAgain.isEmpty() ? liveAgain.get(liveAgain.size() - 1) : null;
        // the survivors' latency is read over the storm: from the kill to all live again (or the window's end)
        long stormEnd = allLive == null ? windowEnd : kill + (long) (allLive * 1e9);
        Histogram survivors = figures.survivorsUntil(stormEnd);
        Histogram reconnects = figures.reconnectMicros();
        Histogram before = figures.beforeKillMicros();
        return new Result(SCENARIO)
                .put("instances", options.urls().size())
                .put("clients", options.clients())
                .put("chats", members.size())
                .put("chat_size", options.chatSize())
                .put("kill", options.kill().name().toLowerCase(java.util.Locale.ROOT))
                .put("victim", options.victimUrl().toString())
                .put("messages_per_s", options.rate() * members.size())
                .put("first_open_failures", openFailures)
                .put("first_open_retries", figures.firstOpenRetries())
                .put("clients_on_victim", onVictim)
                .put("all_live_after_s", allLive)
                .put("live_again_p50_s", percentile(liveAgain, 50))
                .put("live_again_p99_s", percentile(liveAgain, 99))
                .put("victim_clients_not_live_again", victimsNotBack)
                .put("victim_exit_s", exitedNanos == null ? null : (exitedNanos - kill) / 1e9)
                .put("victim_closes_began_s", figures.firstVictimCloseNanos() == 0 ? null
                        : (figures.firstVictimCloseNanos() - kill) / 1e9)
                .put("reconnect_open_p50_ms", millis(reconnects, 50))
                .put("reconnect_open_p99_ms", millis(reconnects, 99))
                .put("reconnect_open_max_ms", millis(reconnects, 100))
                .put("reconnects", reconnects.getTotalCount())
                .put("reconnect_attempts", figures.attempts())
                .put("failed_attempt_p50_ms", millis(figures.failedAttemptMicros(), 50))
                .put("failed_attempt_max_ms", millis(figures.failedAttemptMicros(), 100))
                .put("close_codes", figures.closeCodes())
                .put("failures", gaveUp.values().stream().mapToLong(Long::longValue).sum() + notLive)
                .put("gave_up", gaveUp)
                .put("not_live_at_end", notLive)
                .put("missed", missed)
                .put("missed_by_failed_clients", missedByFailed)
                .put("duplicated", duplicated)
                .put("events_outside_ledger", figures.outsideLedgerCount())
                .put("messages_sent", messagesSent.get())
                .put("sent_after_reconnect", figures.sentAfterReconnectCount())
                .put("unacknowledged_sends", unacknowledged)
                .put("error_frames", figures.errorFrames())
                .put("before_kill_latency_p50_ms", millis(before, 50))
                .put("before_kill_latency_p99_ms", millis(before, 99))
                .put("storm_window_s", (stormEnd - kill) / 1e9)
                .put("survivors_latency_p50_ms", millis(survivors, 50))
                .put("survivors_latency_p99_ms", millis(survivors, 99))
                .put("survivors_latency_max_ms", millis(survivors, 100))
                .put("survivors_deliveries", survivors.getTotalCount())
                .put("survivors_worst_ms_by_second", figures.survivorsWorstBySecond(kill,
                        (int) Math.min(WORST_BY_SECOND, options.after().toSeconds())))
                .put("longest_delivery_gap_s", figures.longestQuietNanos() / 1e9)
                .put("expected_gap_s", 1 / options.rate())
                .put("load_average", Result.loadAverage());
    }

    private static Double percentile(List<Double> sorted, double percentile) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }

    private static Double millis(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return null;
        }
        long micros = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return micros / 1000.0;
    }
}
