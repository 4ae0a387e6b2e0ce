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
     * and larger ones are simply read and written in several steps.
     */
    static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    public static void main(String[] args) {
        if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
            System.setProperty(TOMCAT_WEBSOCKET_BUFFER, "2048");
        }
        SpringApplication.run(ChatApplication.class, args);
    }
}
