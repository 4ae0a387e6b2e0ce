package io.chat.fanout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandler;

/**
 * Spring's STOMP client over reactor-netty, handing each connect attempt its session from the start.
 * Spring gives the session to the caller only once the broker has answered CONNECTED; when RabbitMQ
 * refuses a CONNECT (bad login, no access to the virtual host) it sends an ERROR frame but keeps the
 * socket open for another 10 s. With its session, the attempt closes that socket at once instead of
 * leaving one more connection open on the broker for every retry. And its frames are sent without
 * waiting for each write ({@link NonBlockingStompSession}).
 */
final class RelayStompClient extends ReactorNettyTcpStompClient {

    private static final Logger log = LoggerFactory.getLogger(RelayStompClient.class);

    /** A session handler that wants the session of its attempt before the broker answers. */
    interface AttemptHandler extends StompSessionHandler {

        void sessionCreated(StompSession session);
    }

    RelayStompClient(String host, int port) {
        super(host, port);
    }

    @Override
    protected ConnectionHandlingStompSession createSession(StompHeaders connectHeaders, StompSessionHandler handler) {
        ConnectionHandlingStompSession session = new NonBlockingStompSession(
                super.createSession(connectHeaders, handler),
                failure -> log.debug("broker.write_failed: {}; the connection is closed and made again",
                        failure.toString()));
        if (handler instanceof AttemptHandler attempt) {
            attempt.sessionCreated(session);
        }
        return session;
    }
}
