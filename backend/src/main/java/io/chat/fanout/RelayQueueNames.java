package io.chat.fanout;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Names the relay's queues in RabbitMQ (the STOMP plugin's {@code x-queue-name} header), so that
 * the management console says whose each queue is: {@code [prefix.]relay.<instance>.chats.<tag>}, the
 * queue each chat of the instance is bound to, or {@code ...relay.<instance>.all-chats.<tag>} in
 * every-chat mode. The last word is new at each
 * subscription: a resubscription (a reconnection, the same chat reopened, an instance restarted
 * under the same id) never meets a queue left from before that RabbitMQ has not yet deleted, which
 * would then share its events with a consumer that is gone. Queue names are up to 255 bytes and
 * must not begin with {@code amq.}.
 */
final class RelayQueueNames {

    /** Keeps the longest name well under RabbitMQ's 255 bytes. */
    private static final int MAX_INSTANCE_LENGTH = 100;

    private final String base;

    RelayQueueNames(String prefix, String instanceId) {
        String instance = instanceId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (instance.length() > MAX_INSTANCE_LENGTH) {
            instance = instance.substring(0, MAX_INSTANCE_LENGTH);
        }
        this.base = (prefix.isEmpty() ? "" : prefix + ".") + "relay." + instance + ".";
    }

    /** The name of a new queue for the instance's chats, each bound to it while the instance serves it. */
    String chats() {
        return base + "chats." + tag();
    }

    /** The name of a new subscription to every chat. */
    String everyChat() {
        return base + "all-chats." + tag();
    }

    /** What every queue of this instance begins with. */
    String instancePrefix() {
        return base;
    }

    /** Six base-36 characters: about a billion values, unique enough among one instance's queues. */
    private static String tag() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 31), Character.MAX_RADIX);
    }
}
