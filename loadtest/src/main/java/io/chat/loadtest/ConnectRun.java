package io.chat.loadtest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The {@code connect} and {@code hold} scenarios: opens many sockets with a cap on those in flight,
 * times each open to its {@code connection_established}, then reads what the idle sockets cost the
 * server. {@code hold} opens more of them (from several loopback addresses, past one address's
 * ephemeral ports) and keeps them idle for a while before the reading, as a server holding many
 * quiet browsers would.
 *
 * <p>Each socket is a user with a token of its own by default, and the warm-up opens are other
 * users': every timed open presents a token the server has not verified before, as a crowd of
 * clients arriving does ({@link SocketPlan}; {@code --shared-users} for the opposite case).
 */
final class ConnectRun {

    private final Options options;
    private final ChatApi api;
    private final DeliveryStats unused = new DeliveryStats();
    private final Histogram openMicros = new ConcurrentHistogram(60_000_000L, 3);
    private final LongAdder failures = new LongAdder();
    private final Map<String, LongAdder> failureReasons = new ConcurrentHashMap<>();

    ConnectRun(Options options) {
        this.options = options;
        this.api = new ChatApi(options.urls().get(0));
    }

    /** The users and chats of a plan, as set up on the server. */
    private record Sockets(SocketPlan plan, List<ChatApi.User> users, List<Long> chats) {

        ChatApi.User user(int socket) {
            return users.get(plan.userOf(socket));
        }

        long chat(int socket) {
            return chats.get(plan.chatOf(socket));
        }
    }

    Result run() throws Exception {
        int total = options.connections();
        int warmupCount = Math.min(options.warmup(), total);
        SocketPlan plan = options.sharedUsers() > 0 ? SocketPlan.shared(total, options.sharedUsers())
                : SocketPlan.distinct(total, options.chatSize());
        Sockets timed;
        Sockets warm;
        if (plan.shared()) {
            Progress.phase(options.scenario(), "registering " + plan.users() + " users shared by all sockets,"
                    + " creating " + plan.chats() + " chats");
            List<ChatApi.User> users = api.users(plan.users());
            timed = new Sockets(plan, users, api.chats(users.get(0), users, plan.chats()));
            warm = new Sockets(plan.first(warmupCount), timed.users(), timed.chats());
        } else {
            Progress.phase(options.scenario(), "registering " + total + " users (one per socket) and "
                    + warmupCount + " warm-up users, creating their chats of " + plan.chatSize());
            // warm-up users first, so that the timed sockets' tokens are the fresher ones
            warm = setUp(SocketPlan.distinct(warmupCount, options.chatSize()), "w");
            timed = setUp(plan, "");
        }
        Set<String> tokens = new HashSet<>();
        Set<Long> userIds = new HashSet<>();
        for (int k = 0; k < total; k++) {
            tokens.add(timed.user(k).access());
            userIds.add(timed.user(k).id());
        }
        long warmupFailures = warmUp(warm);
        ServerMemory before = ServerMemory.read(api, options.serverPid());

        Progress.phase(options.scenario(), "opening " + total + " sockets, at most " + options.concurrency() + " at once");
        double serverCpuBefore = serverCpuSeconds();
        double toolCpuBefore = ProcessCpu.ownSeconds();
        long start = System.nanoTime();
        List<LoadClient> clients = openAll(total, timed, openMicros, failures);
        double seconds = (System.nanoTime() - start) / 1e9;
        long opened = openMicros.getTotalCount();
        double serverCpu = serverCpuSeconds() - serverCpuBefore;
        double toolCpu = ProcessCpu.ownSeconds() - toolCpuBefore;

        boolean hold = options.scenario().equals("hold");
        if (hold) {
            Progress.phase("hold", "holding " + opened + " sockets for " + options.hold().toSeconds() + " s");
        }
        Thread.sleep(hold ? options.hold().toMillis() : 2000);
        ServerMemory after = ServerMemory.read(api, options.serverPid());
        long compressed = clients.stream().filter(LoadClient::compressed).count();
        clients.forEach(LoadClient::close);
        for (LoadClient client : clients) {
            client.closed.completeOnTimeout(null, 10, TimeUnit.SECONDS);
        }

        Map<String, Long> reasons = new TreeMap<>();
        failureReasons.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new Result(options.scenario())
                .put("instances", options.urls().size())
                .put("connections", total)
                .put("sources", options.sources())
                .put("compression_offered", options.offerCompression())
                .put("compressed_sockets", compressed)
                .put("warmup", Math.min(options.warmup(), total))
                .put("warmup_failures", warmupFailures)
                .put("distinct_users", userIds.size())
                .put("distinct_tokens", tokens.size())
                .put("shared_users", plan.shared())
                .put("opened", opened)
                .put("failures", failures.sum())
                .put("failure_reasons", reasons)
                .put("opens_per_s", opened / seconds)
                .put("open_p50_ms", openMicros.getValueAtPercentile(50) / 1000.0)
                .put("open_p99_ms", openMicros.getValueAtPercentile(99) / 1000.0)
                .put("open_max_ms", openMicros.getMaxValue() / 1000.0)
                .put("server_cpu_ms_per_open", perOpenMillis(serverCpu, opened))
                .put("tool_cpu_ms_per_open", perOpenMillis(toolCpu, opened))
                .put("heap_before_mib", before.heapBytes() / 1048576.0)
                .put("heap_after_mib", after.heapBytes() / 1048576.0)
                .put("heap_per_connection_kib", perConnectionKib(before.heapBytes(), after.heapBytes(), opened))
                .put("rss_per_connection_kib", perConnectionKib(before.rssBytes(), after.rssBytes(), opened))
                .put("heap_measured_after_gc", options.serverPid() > 0)
                .put("load_average", Result.loadAverage());
    }

    /**
     * Opens and closes {@code --warmup} sockets, so that the JIT compilers of both processes have
     * compiled the open path before it is timed, then lets the server release them.
     *
     * @return how many of the warm-up opens failed (reported, since a failing warm-up warms nothing)
     */
    private long warmUp(Sockets warm) throws InterruptedException {
        int count = warm.plan().sockets();
        if (count == 0) {
            return 0;
        }
        Progress.phase(options.scenario(), "warming up: opening and closing " + count + " sockets");
        LongAdder failed = new LongAdder();
        List<LoadClient> clients = openAll(count, warm, new ConcurrentHistogram(60_000_000L, 3), failed);
        clients.forEach(LoadClient::close);
        clients.forEach(client -> client.closed.completeOnTimeout(null, 10, TimeUnit.SECONDS));
        clients.forEach(client -> client.closed.join());
        // the server frees each one-connection slot just after its close frame; give it that moment
        Thread.sleep(1000);
        failureReasons.clear();
        return failed.sum();
    }

    /** Opens {@code count} sockets, at most {@code --concurrency} in flight, and waits for each outcome. */
    private List<LoadClient> openAll(int count, Sockets sockets, Histogram times, LongAdder failed)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(options.concurrency());
        List<LoadClient> clients = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            inFlight.acquire();
            URI instance = options.urls().get(k % options.urls().size());
            int source = 1 + k % options.sources();
            LoadClient client = LoadClient.openFrom(source, instance, sockets.chat(k), sockets.user(k).access(),
                    () -> unused, options.offerCompression());
            clients.add(client);
            client.established.whenComplete((nanos, failure) -> {
                if (failure == null) {
                    times.recordValue(Math.min(60_000_000L, nanos / 1000));
                } else {
                    failed.increment();
                    failureReasons.computeIfAbsent(reason(failure), r -> new LongAdder()).increment();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(options.concurrency());
        return clients;
    }

    /** Registers a plan's users (named apart by {@code group}) and creates its chats, one per group of users. */
    private Sockets setUp(SocketPlan plan, String group) throws Exception {
        List<ChatApi.User> users = api.users(group, plan.users());
        List<List<ChatApi.User>> members = new ArrayList<>();
        for (int chat = 0; chat < plan.chats(); chat++) {
            members.add(plan.membersOf(chat).stream().map(users::get).toList());
        }
        return new Sockets(plan, users, api.chatsOf(members));
    }

    private static double perOpenMillis(double cpuSeconds, long opened) {
        return opened == 0 ? Double.NaN : cpuSeconds * 1000 / opened;
    }

    private static double perConnectionKib(double before, double after, long connections) {
        if (Double.isNaN(before) || Double.isNaN(after) || connections == 0) {
            return Double.NaN;
        }
        return (after - before) / connections / 1024;
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        String message = String.valueOf(cause.getMessage());
        return message.length() > 60 ? message.substring(0, 60) : message;
    }

    /** The server's heap (from its metrics) and resident memory (from /proc, when on this machine). */
    record ServerMemory(double heapBytes, double rssBytes) {

        static ServerMemory read(ChatApi api, long pid) throws IOException, InterruptedException {
            if (pid > 0) {
                // a full GC first, so that the heap reading is live data rather than garbage
                new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            }
            double heap = PrometheusText.sum(api.text("/actuator/prometheus"), "jvm_memory_used_bytes", "area=\"heap\"");
            return new ServerMemory(heap, pid > 0 ? rss(pid) : Double.NaN);
        }

        private static double rss(long pid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return Double.NaN;
        }
    }

    /** CPU seconds of the servers measured: every one of {@code --cpu-pids}, or else {@code --server-pid}. */
    private double serverCpuSeconds() {
        if (options.cpuPids().isEmpty()) {
            return ProcessCpu.seconds(options.serverPid());
        }
        double total = 0;
        for (long pid : options.cpuPids()) {
            total += ProcessCpu.seconds(pid);
        }
        return total;
    }
}
