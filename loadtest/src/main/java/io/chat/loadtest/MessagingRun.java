package io.chat.loadtest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The {@code fanout}, {@code rooms}, {@code hot-chat} and {@code slow-consumer} scenarios: clients
 * connect, some send at a fixed pace, every delivery is timed from the time its message was due to
 * be sent (carried in the message), every connection checks the order of its chat's events, and after the drain the run's
 * messages are read back from the database.
 *
 * <p>Sending is open-loop: one pacing thread hands each message to the next sender's socket and
 * never waits for an answer, so the senders' messages overlap on the server whenever it takes
 * longer to store one than the pace leaves between two (rate × time to store = writers in flight
 * on the chat). Threads per sender in the tool would change nothing the server sees: every
 * socket's writes go through the same few event loops anyway. The even pace is what measures a
 * sustained rate; bursts would measure a queue.
 */
final class MessagingRun {

    /** hot-chat with {@code --rates}: rest between steps, so that one step's backlog does not load the next. */
    static final Duration STEP_PAUSE = Duration.ofSeconds(2);
    /** rooms: users are shared by this many groups of chats, so set-up registers few users. */
    private static final int ROOM_USER_GROUPS = 20;
    /** A default server's access tokens live 5 minutes, and it closes their sockets (4401) when they expire. */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    /**
     * slow-consumer: how long slow members that read freely again after the drain are given for the
     * close the server queued behind their backlog (what its kernel held: about 100 KB) to arrive.
     */
    private static final Duration SLOW_CLOSE_WAIT = Duration.ofSeconds(5);

    /** One timed sending phase: the sequences it used start at {@code firstSequence}. */
    private record Sending(int firstSequence, long elapsedNanos) {
    }

    /** slow-consumer: a member that stops reading, and what stops it. */
    private record SlowMember(LoadClient client, SlowReading reading) {
    }

    private final Options options;
    private final ChatApi api;
    /** Swapped for a fresh one at each step of a sweep; clients look it up at every frame. */
    private final AtomicReference<DeliveryStats> stats = new AtomicReference<>(new DeliveryStats());
    private final List<LoadClient> clients = new ArrayList<>();
    private final List<ReadBack.Chat> chats = new ArrayList<>();
    private final ReadBack readBack;
    /** Messages are numbered across the steps of a run, so that each step's are told apart. */
    private int nextSequence;
    /** Sockets opened so far, to spread them over the instances round-robin. */
    private int opened;

    MessagingRun(Options options) {
        this.options = options;
        this.api = new ChatApi(options.urls().get(0));
        this.readBack = new ReadBack(api, chats);
    }

    Result fanout() throws Exception {
        Progress.phase("fanout", "registering " + options.members() + " users");
        List<ChatApi.User> members = api.users(options.members());
        joinNewChat(members);
        awaitEstablished();
        Progress.phase("fanout", "sending for " + options.duration().toSeconds() + " s");
        Sending sending = send(clients.subList(0, options.senders()), options.rate());
        Result result = figures("fanout", options.members(), sending)
                .put("members", options.members()).put("senders", options.senders())
                .put("offered_deliveries_per_s", options.rate() * options.members());
        closeAll();
        return result;
    }

    Result rooms() throws Exception {
        int size = options.chatSize();
        int groups = Math.min(ROOM_USER_GROUPS, options.chats());
        Progress.phase("rooms", "registering " + groups * size + " users, creating " + options.chats() + " chats");
        List<ChatApi.User> users = api.users(groups * size);
        for (int c = 0; c < options.chats(); c++) {
            int group = c % groups;
            joinNewChat(users.subList(group * size, group * size + size));
        }
        awaitEstablished();
        Progress.phase("rooms", "sending for " + options.duration().toSeconds() + " s");
        double totalRate = options.rate() * clients.size();
        Sending sending = send(clients, totalRate);
        Result result = figures("rooms", size, sending)
                .put("chats", options.chats()).put("chat_size", size)
                .put("offered_deliveries_per_s", totalRate * size);
        closeAll();
        return result;
    }

    /** One chat, many concurrent senders; one result per step of {@code --rates}, reported as each ends. */
    void hotChat(Consumer<Result> report) throws Exception {
        long tokensIssuedNanos = System.nanoTime();
        Progress.phase("hot-chat", "registering " + options.members() + " users");
        List<ChatApi.User> members = api.users(options.members());
        joinNewChat(members);
        awaitEstablished();
        warnIfTokensExpireMidRun(tokensIssuedNanos);
        List<LoadClient> senders = clients.subList(0, options.senders());
        List<Double> rates = options.rates();
        for (int step = 0; step < rates.size(); step++) {
            if (step > 0) {
                Thread.sleep(STEP_PAUSE.toMillis());
                stats.set(new DeliveryStats());
            }
            double rate = rates.get(step);
            Progress.phase("hot-chat", "step " + (step + 1) + "/" + rates.size() + ": " + rate + " messages/s from "
                    + senders.size() + " senders for " + options.duration().toSeconds() + " s");
            Sending sending = send(senders, rate);
            report.accept(figures("hot-chat", options.members(), sending)
                    .put("step", step + 1).put("rate", rate)
                    .put("members", options.members()).put("senders", options.senders())
                    .put("offered_deliveries_per_s", rate * options.members()));
        }
        closeAll();
    }

    /**
     * One chat as in fanout, whose last {@code --slow} members stop reading after their greeting
     * ({@link SlowReading}): the server must close each with 1013 and keep delivering to the others
     * as in the same run with {@code --slow 0}. The delivery figures are those of the members that read.
     */
    Result slowConsumer() throws Exception {
        int readers = options.members() - options.slow();
        Progress.phase("slow-consumer", "registering " + options.members() + " users");
        List<ChatApi.User> members = api.users(options.members());
        long chat = newChat(members);
        // senders come first: they, and the members after them up to the slow ones, read freely
        for (ChatApi.User member : members.subList(0, readers)) {
            clients.add(LoadClient.open(nextInstance(), chat, member.access(), stats::get, options.offerCompression()));
        }
        List<SlowMember> slow = openSlowMembers(chat, members.subList(readers, members.size()));
        awaitEstablished();
        for (SlowMember member : slow) {
            member.client().established.get(60, TimeUnit.SECONDS);
        }
        // the last reader is never a sender (--slow < members - senders): its bytes are what each member is offered
        LoadClient reader = clients.get(readers - 1);
        long readerBytesBefore = reader.receivedBytes();
        Progress.phase("slow-consumer", "sending for " + options.duration().toSeconds() + " s, texts of "
                + (options.textBytes() == 0 ? "the tool's own length" : "about " + options.textBytes() + " bytes"));
        Sending sending = sendWhileSipping(slow);
        long offeredBytes = reader.receivedBytes() - readerBytesBefore;
        slow.forEach(member -> member.reading().resume());
        long closeDeadline = System.nanoTime() + SLOW_CLOSE_WAIT.toNanos();

        Result result = figures("slow-consumer", readers, sending)
                .put("members", options.members()).put("senders", options.senders())
                .put("slow", options.slow()).put("reading_members", readers)
                .put("text_bytes", options.textBytes())
                .put("offered_deliveries_per_s", options.rate() * options.members())
                .put("member_kib_per_s", offeredBytes / 1024.0 / (sending.elapsedNanos() / 1e9))
                .put("slow_mss_bytes", slow.isEmpty() || !SlowReading.limitsMss() ? null : SlowReading.MSS_BYTES);
        SlowCloses closes = slowCloses(slow, closeDeadline);
        result.put("slow_closed_1013", closes.closedAsTooSlow())
                .put("slow_close_codes", closes.codes())
                .put("slow_time_to_close_s", closes.timeToClose())
                .put("slow_failures", closes.failures());
        reportSlowFailures(closes, offeredBytes);
        closeAll();
        slow.forEach(member -> member.client().close());
        return result;
    }

    /** Members that stop reading after their greeting; what they receive is a backlog, no figure of the run. */
    private List<SlowMember> openSlowMembers(long chat, List<ChatApi.User> users) {
        DeliveryStats notCounted = new DeliveryStats();
        List<SlowMember> slow = new ArrayList<>();
        for (ChatApi.User user : users) {
            SlowReading reading = new SlowReading();
            slow.add(new SlowMember(LoadClient.openSlow(nextInstance(), chat, user.access(), () -> notCounted,
                    reading, options.offerCompression()), reading));
        }
        if (!slow.isEmpty()) {
            Progress.phase("slow-consumer", slow.size() + " members stop reading after their greeting (receive"
                    + " buffer " + SlowReading.RECEIVE_BUFFER_BYTES + " bytes, MSS " + (SlowReading.limitsMss()
                    ? SlowReading.MSS_BYTES + " bytes" : "not limited: the server's kernel will buffer megabytes")
                    + "), then take one read every " + SlowReading.SIP_INTERVAL.toMillis() + " ms");
        }
        return slow;
    }

    /** Sends as fanout does, the slow members sipping at their sockets meanwhile. */
    private Sending sendWhileSipping(List<SlowMember> slow) throws InterruptedException {
        ScheduledExecutorService sips = Executors.newSingleThreadScheduledExecutor();
        try {
            long every = SlowReading.SIP_INTERVAL.toMillis();
            sips.scheduleAtFixedRate(() -> slow.forEach(member -> member.reading().sip()), every, every,
                    TimeUnit.MILLISECONDS);
            return send(clients.subList(0, options.senders()), options.rate());
        } finally {
            sips.shutdownNow();
        }
    }

    /** Each slow member's end, waiting for closes still on their way until {@code deadlineNanos}. */
    private static SlowCloses slowCloses(List<SlowMember> slow, long deadlineNanos) throws InterruptedException {
        List<SlowCloses.Outcome> outcomes = new ArrayList<>();
        for (int k = 0; k < slow.size(); k++) {
            LoadClient client = slow.get(k).client();
            long stopped = slow.get(k).reading().stoppedNanos();
            LoadClient.Closing closing;
            try {
                closing = client.closed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillOpen) {
                closing = null;
            } catch (ExecutionException cannotHappen) {
                throw new IllegalStateException(cannotHappen);
            }
            // read after the close, so that the backlog that came before it counts
            long read = client.receivedBytes();
            outcomes.add(closing == null ? SlowCloses.Outcome.stillOpen(k + 1, read)
                    : SlowCloses.Outcome.closed(k + 1, closing, stopped, read));
        }
        return new SlowCloses(outcomes);
    }

    private static void reportSlowFailures(SlowCloses closes, long offeredBytes) {
        List<String> failures = closes.failures();
        for (String failure : failures) {
            Progress.phase("slow-consumer", "SLOW MEMBER NOT CLOSED WITH 1013: " + failure);
        }
        if (!failures.isEmpty()) {
            closes.hints(offeredBytes / 1024.0).forEach(hint -> Progress.phase("slow-consumer", hint));
        }
    }

    private void joinNewChat(List<ChatApi.User> members) throws Exception {
        long chat = newChat(members);
        for (ChatApi.User member : members) {
            clients.add(LoadClient.open(nextInstance(), chat, member.access(), stats::get, options.offerCompression()));
        }
    }

    /** A chat of these members, created by the first, and remembered for the read-back. */
    private long newChat(List<ChatApi.User> members) throws Exception {
        long chat = api.chat(members.get(0), members);
        chats.add(new ReadBack.Chat(chat, members.get(0)));
        return chat;
    }

    private URI nextInstance() {
        return options.urls().get(opened++ % options.urls().size());
    }

    private void awaitEstablished() throws Exception {
        for (LoadClient client : clients) {
            client.established.get(60, TimeUnit.SECONDS);
        }
    }

    private void warnIfTokensExpireMidRun(long tokensIssuedNanos) {
        int steps = options.rates().size();
        Duration planned = Duration.ofNanos(System.nanoTime() - tokensIssuedNanos)
                .plus(options.duration().plus(options.drain()).multipliedBy(steps))
                .plus(STEP_PAUSE.multipliedBy(steps - 1L));
        if (planned.compareTo(TOKEN_LIFETIME) > 0) {
            Progress.phase("hot-chat", "warning: the last step ends about " + planned.toSeconds()
                    + " s after the tokens were issued; a server with the default 5-minute access tokens closes"
                    + " the sockets (4401) before that: use fewer --rates or a shorter --duration");
        }
    }

    /** Sends at a fixed total rate, round-robin over the senders, then waits out the drain. */
    private Sending send(List<LoadClient> senders, double messagesPerSecond) throws InterruptedException {
        DeliveryStats current = stats.get();
        long periodNanos = (long) (1_000_000_000L / messagesPerSecond);
        long total = (long) (messagesPerSecond * options.duration().toSeconds());
        int first = nextSequence;
        long start = System.nanoTime();
        for (int k = 0; k < total; k++) {
            long due = start + k * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            current.sent();
            // stamped with the time it was due, not the time the pacer got to it: a pacer held up
            // (a pause of this JVM) would otherwise hide the wait from the latency
            if (!senders.get(k % senders.size()).send(MessageFrames.text(first + k, due, options.textBytes()))) {
                current.sendFailed();
            }
        }
        long elapsed = System.nanoTime() - start;
        nextSequence = first + (int) total;
        Thread.sleep(options.drain().toMillis());
        return new Sending(first, elapsed);
    }

    private void closeAll() {
        clients.forEach(LoadClient::close);
    }

    /**
     * The figures of a sending phase, as they stand at the end of the drain; then the read-back,
     * which is held against the deliveries at the drain and at its own end (see {@link ReadBack.Found}).
     */
    private Result figures(String scenario, int recipientsPerMessage, Sending sending) throws InterruptedException {
        DeliveryStats current = stats.get();
        BitSet deliveredByDrain = current.storedSequences();
        long checkingSeq = clients.stream().filter(LoadClient::checksSeq).count();
        boolean seqChecked = checkingSeq > 0;
        double seconds = sending.elapsedNanos() / 1e9;
        Result result = new Result(scenario)
                .put("instances", options.urls().size())
                .put("duration_s", seconds)
                .put("messages_sent", current.sentCount())
                .put("messages_stored", current.storedCount())
                .put("messages_read_back", null)
                .put("read_back_mismatch", null)
                .put("stored_per_s", current.storedCount() / seconds)
                .put("deliveries", current.deliveryCount())
                .put("deliveries_per_s", current.deliveryCount() / seconds)
                .put("latency_p50_ms", current.percentileMillis(50))
                .put("latency_p95_ms", current.percentileMillis(95))
                .put("latency_p99_ms", current.percentileMillis(99))
                .put("latency_max_ms", current.maxMillis())
                .put("lost_deliveries", current.lost(recipientsPerMessage))
                .put("duplicated_deliveries", current.duplicateCount())
                .put("unanswered_sends", current.unanswered())
                .put("failed_sends", current.failedSendCount())
                .put("errors", current.errorCount())
                .put("rate_limited", current.rateLimitedCount())
                .put("seq_checked_clients", checkingSeq)
                .put("seq_gaps", seqChecked ? current.seqGapCount() : null)
                .put("seq_out_of_order", seqChecked ? current.seqOutOfOrderCount() : null)
                .put("seq_missing", seqChecked ? current.seqMissingCount() : null)
                .put("id_out_of_order", current.idOutOfOrderCount())
                // before the read-back, whose queries would add to it
                .put("load_average", Result.loadAverage());

        ReadBack.Found found = readBackOf(sending);
        if (found != null) {
            BitSet deliveredByEnd = current.storedSequences();
            // a late delivery of the step before is no message of this one
            deliveredByDrain.clear(0, sending.firstSequence());
            deliveredByEnd.clear(0, sending.firstSequence());
            ReadBack.Comparison comparison = found.compareWith(deliveredByDrain, deliveredByEnd);
            if (comparison.total() > 0) {
                Progress.phase(scenario, "READ-BACK MISMATCH: " + comparison.describe());
            }
            long late = deliveredByEnd.cardinality() - deliveredByDrain.cardinality();
            if (late > 0) {
                Progress.phase(scenario, late + " messages were first delivered after the drain (a backlog on the"
                        + " server): the figures above count them as unanswered sends; raise --drain to wait for them");
            }
            result.put("messages_read_back", found.rows()).put("read_back_mismatch", comparison.total());
        }
        return result;
    }

    /** The run's messages as the database holds them, or null when not read (skipped, too slow, refused). */
    private ReadBack.Found readBackOf(Sending sending) throws InterruptedException {
        if (options.readBack().isZero()) {
            return null;
        }
        Progress.phase("read-back", "reading " + chats.size() + (chats.size() == 1 ? " chat" : " chats")
                + " back over REST");
        return readBack.read(sending.firstSequence(), options.readBack());
    }
}
