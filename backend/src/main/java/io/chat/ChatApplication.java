package io.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the chat server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChatApplication {

    /**
     * Tomcat's WebSocket input, output and encoder buffers, allocated for every socket. Its 8 KiB
     * default makes an idle connection cost over 60 KiB of heap; frames of this protocol are small,
     * and larger ones are simply read in several steps. Frames go out pre-encoded, past the output
     * and encoder buffers, so those two are never used. (The tests' servers get the same value from
     * the build: {@code backend/pom.xml}.)
     */
    static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";
    static final String TOMCAT_WEBSOCKET_BUFFER_BYTES = "1024";

    public static void main(String[] args) {
        if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
            System.setProperty(TOMCAT_WEBSOCKET_BUFFER, TOMCAT_WEBSOCKET_BUFFER_BYTES);
        }
        SpringApplication.run(ChatApplication.class, args);
    }
}
