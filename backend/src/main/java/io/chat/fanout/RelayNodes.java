package io.chat.fanout;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The RabbitMQ nodes a relay may use ({@code chat.broker.relay.addresses}), each with its own STOMP
 * client, in the order a link tries them: a link stays on its node while it works, and moves on to
 * the next one when its connection drops or cannot be opened. Nodes of one RabbitMQ cluster share
 * exchanges and bindings, so events published on one node reach queues on any other.
 */
final class RelayNodes {

    /** One node and the client that connects to it. */
    record Node(BrokerSettings.Address address, RelayStompClient client) {
    }

    private final List<Node> nodes;

    RelayNodes(List<Node> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("chat.broker.relay.addresses lists no node (write e.g. "
                    + "rabbit-1:61613,rabbit-2:61613)");
        }
        this.nodes = List.copyOf(nodes);
    }

    /** A single node: the relay as it was before clusters, and links under test. */
    static RelayNodes of(BrokerSettings.Address address, RelayStompClient client) {
        return new RelayNodes(List.of(new Node(address, client)));
    }

    int size() {
        return nodes.size();
    }

    Node get(int index) {
        return nodes.get(index);
    }

    void shutdown() {
        nodes.forEach(node -> node.client().shutdown());
    }

    @Override
    public String toString() {
        return nodes.stream().map(node -> node.address().toString()).collect(Collectors.joining(","));
    }
}
