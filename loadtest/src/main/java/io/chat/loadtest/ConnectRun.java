package io.chat.loadtest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    Result run() throws Exception {
        int usersPerChat = options.chatSize();
        int total = options.connections();
        Progress.phase(options.scenario(), "registering " + usersPerChat + " users, creating their chats");
        List<ChatApi.User> users = api.users(usersPerChat);
        List<Long> chats = api.chats(users.get(0), users, (total + usersPerChat - 1) / usersPerChat);
        long warmupFailures = warmUp(users, chats);
        ServerMemory before = ServerMemory.read(api, options.serverPid());

        Progress.phase(options.scenario(), "opening " + total + " sockets, at most " + options.concurrency() + " at once");
        double serverCpuBefore = ProcessCpu.seconds(options.serverPid());
        double toolCpuBefore = ProcessCpu.ownSeconds();
        long start = System.nanoTime();
        List<LoadClient> clients = openAll(total, users, chats, openMicros, failures);
        double seconds = (System.nanoTime() - start) / 1e9;
        long opened = openMicros.getTotalCount();
        double serverCpu = ProcessCpu.seconds(options.serverPid()) - serverCpuBefore;
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
    private long warmUp(List<ChatApi.User> users, List<Long> chats) throws InterruptedException {
        int count = Math.min(options.warmup(), options.connections());
        if (count == 0) {
            return 0;
        }
        Progress.phase(options.scenario(), "warming up: opening and closing " + count + " sockets");
        LongAdder failed = new LongAdder();
        List<LoadClient> clients = openAll(count, users, chats, new ConcurrentHistogram(60_000_000L, 3), failed);
        clients.forEach(LoadClient::close);
        clients.forEach(client -> client.closed.completeOnTimeout(null, 10, TimeUnit.SECONDS));
        clients.forEach(client -> client.closed.join());
        // the server frees each one-connection slot just after its close frame; give it that moment
        Thread.sleep(1000);
        failureReasons.clear();
        return failed.sum();
    }

    /** Opens {@code count} sockets, at most {@code --concurrency} in flight, and waits for each outcome. */
    private List<LoadClient> openAll(int count, List<ChatApi.User> users, List<Long> chats, Histogram times,
            LongAdder failed) throws InterruptedException {
        int usersPerChat = options.chatSize();
        Semaphore inFlight = new Semaphore(options.concurrency());
        List<LoadClient> clients = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            inFlight.acquire();
            URI instance = options.urls().get(k % options.urls().size());
            int source = 1 + k % options.sources();
            LoadClient client = LoadClient.openFrom(source, instance, chats.get(k / usersPerChat),
                    users.get(k % usersPerChat).access(), () -> unused, options.offerCompression());
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
}
