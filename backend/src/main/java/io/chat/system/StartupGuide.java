package io.chat.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever just started the server where to go next. */
@Component
class StartupGuide {

    private static final Logger log = LoggerFactory.getLogger(StartupGuide.class);

    @EventListener
    void ready(ApplicationReadyEvent ready) {
        if (!(ready.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        String base = "http://localhost:" + web.getWebServer().getPort();
        // management.server.port set: health and metrics are on that port only
        String managementPort = web.getEnvironment().getProperty("local.management.port");
        String management = managementPort == null ? base : "http://localhost:" + managementPort;
        log.info("""
                Chat server ready at {base}
                  chat page:   {base}/   (built on the JavaScript client, {base}/client/chat-client.js)
                  register:    curl -H 'Content-Type: application/json' -d '{"username":"john_doe","password":"secret-pass"}' {base}/api/auth/register/
                  get a token: curl -H 'Content-Type: application/json' -d '{"username":"john_doe","password":"secret-pass"}' {base}/api/token/
                  make a chat: curl -H 'Authorization: Bearer <access>' -H 'Content-Type: application/json' -d '{"participant_ids":[]}' {base}/api/chats/
                  connect:     {ws}/ws/chat/<chat_id>/?token=<access>   (or the header Authorization: Bearer <access>)
                  API docs:    {base}/swagger-ui.html   (OpenAPI document: {base}/v3/api-docs)
                  health:      {management}/actuator/health   (metrics: {management}/actuator/prometheus)"""
                .replace("{management}", management).replace("{base}", base)
                .replace("{ws}", base.replaceFirst("^http", "ws")));
    }
}
