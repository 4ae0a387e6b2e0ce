package io.chat.fanout;

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
 * leaving one more connection open on the broker for every retry.
 */
final class RelayStompClient extends ReactorNettyTcpStompClient {

    /** A session handler that wants the session of its attempt before the broker answers. */
    interface AttemptHandler extends StompSessionHandler {

        void sessionCreated(StompSession session);
    }

    RelayStompClient(String host, int port) {
        super(host, port);
    }

    @Override
    protected ConnectionHandlingStompSession createSession(StompHeaders connectHeaders, StompSessionHandler handler) {
        ConnectionHandlingStompSession session = super.createSession(connectHeaders, handler);
        if (handler instanceof AttemptHandler attempt) {
            attempt.sessionCreated(session);
        }
        return session;
    }
}
