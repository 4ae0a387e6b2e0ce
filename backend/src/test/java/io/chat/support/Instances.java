package io.chat.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.chat.ChatApplication;

/**
 * Several server instances in relay mode, each a whole application on its own port, sharing the
 * test PostgreSQL and the local RabbitMQ: the multi-instance topology on loopback.
 */
public final class Instances implements AutoCloseable {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    public static Instances start(int count, String... extraArgs) {
        Instances instances = new Instances();
        for (int i = 0; i < count; i++) {
            instances.add(extraArgs);
        }
        return instances;
    }

    /** Starts one more instance; returns its index. */
    public int add(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--chat.broker.mode=relay",
                "--chat.cluster.instance-id=test-node-" + contexts.size() + "-" + System.nanoTime()));
        args.addAll(List.of(extraArgs));
        contexts.add(new SpringApplicationBuilder(ChatApplication.class).profiles("test")
                .run(args.toArray(String[]::new)));
        return contexts.size() - 1;
    }

    public int port(int index) {
        return ((WebServerApplicationContext) contexts.get(index)).getWebServer().getPort();
    }

    public Api api(int index) {
        return new Api(port(index));
    }

    public ConfigurableApplicationContext context(int index) {
        return contexts.get(index);
    }

    @Override
    public void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }
}
