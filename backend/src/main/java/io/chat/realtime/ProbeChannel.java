package io.chat.realtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks another instance whether one of its connections is alive, through PostgreSQL's
 * {@code LISTEN/NOTIFY} on channel {@code chat_probes}: every instance already depends on
 * PostgreSQL, which stays reachable when RabbitMQ is not, and the claims the probe is about live
 * there too. Each instance keeps one connection listening; a probe and its answer are one
 * notification each, addressed to an instance id.
 */
@Component
class ProbeChannel implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProbeChannel.class);
    static final String CHANNEL = "chat_probes";
    /** The holder takes up to 2 s to find a connection dead; the answer needs a moment more. */
    static final Duration ANSWER_WAIT = Duration.ofMillis(2500);
    /**
     * Answers being sent at once; more probes than this waiting for their answer to go out are
     * dropped (their asker hears nothing, and falls back on the heartbeat): a flood of probes costs
     * two threads and one database connection at most, never the threads and connections of sends.
     */
    private static final int ANSWER_QUEUE = 1000;
    private static final int ANSWER_THREADS = 2;

    /** What the holding instance said. */
    enum Answer {
        LIVE, DEAD, NO_ANSWER
    }

    /** Probes a connection of this instance: whether it is alive (closing it when it is not), without blocking. */
    interface Prober {
        CompletableFuture<Boolean> isAlive(long chatId, String sessionId);
    }

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String instanceId;
    private final ConcurrentMap<String, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
    private volatile ExecutorService answering;
    private volatile Prober prober = (chatId, sessionId) -> CompletableFuture.completedFuture(true);
    private volatile boolean running;
    private Thread listener;

    ProbeChannel(DataSource dataSource, JdbcClient jdbc, JsonMapper json, ConnectionClaims claims) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.json = json;
        this.instanceId = claims.instanceId();
    }

    void answerWith(Prober prober) {
        this.prober = prober;
    }

    /**
     * Asks the instance holding a connection whether it is alive. Sends the probe on the caller's
     * thread (one notification); the answer completes the result on the listener's thread, or
     * {@link Answer#NO_ANSWER} does after {@link #ANSWER_WAIT}: callers that do more than decide
     * must move to threads of their own.
     */
    CompletableFuture<Answer> probe(String holderInstance, long chatId, String sessionId) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        answer.whenComplete((answered, failure) -> waiting.remove(id));
        try {
            notify(Map.of("kind", "probe", "to", holderInstance, "from", instanceId, "id", id, "chat", chatId,
                    "session", sessionId));
        } catch (RuntimeException failed) {
            log.warn("cluster.probe_failed instance={}: {}", holderInstance, failed.toString());
            answer.complete(Answer.NO_ANSWER);
            return answer;
        }
        return answer.completeOnTimeout(Answer.NO_ANSWER, ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answered, failure) -> {
                    if (answered == Answer.NO_ANSWER) {
                        log.info("cluster.probe_unanswered instance={} chat={} session={}", holderInstance, chatId,
                                sessionId);
                    }
                });
    }

    private void notify(Map<String, Object> message) {
        jdbc.sql("SELECT pg_notify(?, ?)").params(CHANNEL, json.writeValueAsString(message)).query().singleRow();
    }

    private void received(String payload) {
        JsonNode message;
        try {
            message = json.readTree(payload);
        } catch (RuntimeException notOurs) {
            return;
        }
        if (!instanceId.equals(message.path("to").asString())) {
            return;
        }
        String id = message.path("id").asString();
        if ("answer".equals(message.path("kind").asString())) {
            CompletableFuture<Answer> answer = waiting.get(id);
            if (answer != null) {
                answer.complete(message.path("live").asBoolean() ? Answer.LIVE : Answer.DEAD);
            }
        } else if ("probe".equals(message.path("kind").asString())) {
            long chatId = message.path("chat").asLong();
            String session = message.path("session").asString();
            String from = message.path("from").asString();
            prober.isAlive(chatId, session).thenAccept(live -> answer(from, id, live));
        }
    }

    /** Sends an answer on the bounded answering threads: never on the thread that found it out. */
    private void answer(String to, String id, boolean live) {
        try {
            answering.execute(() -> {
                try {
                    notify(Map.of("kind", "answer", "to", to, "id", id, "live", live));
                } catch (RuntimeException databaseDown) {
                    log.warn("cluster.probe_answer_failed to={}: {}", to, databaseDown.toString());
                }
            });
        } catch (RejectedExecutionException flooded) {
            log.warn("cluster.probe_answer_dropped to={}: {} answers already waiting", to, ANSWER_QUEUE);
        }
    }

    /** Listens on its own connection, reopening it after a failure (PostgreSQL restarted). */
    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("LISTEN " + CHANNEL);
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications(500);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            received(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException lost) {
                if (running) {
                    log.warn("cluster.probe_listener_lost: {}; listening again in 1 s", lost.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        answering = new ThreadPoolExecutor(ANSWER_THREADS, ANSWER_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(ANSWER_QUEUE), new CustomizableThreadFactory("chat-probe-answer-"));
        running = true;
        listener = new Thread(this::listen, "chat-probe-listener");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        answering.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Listening before the web server takes connections, stopped after it closed them. */
    @Override
    public int getPhase() {
        return 1;
    }
}
