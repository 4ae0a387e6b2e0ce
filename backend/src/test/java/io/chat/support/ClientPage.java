package io.chat.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import tools.jackson.databind.JsonNode;

/**
 * The JavaScript client ({@code /client/chat-client.js}) loaded from the server into a browser
 * session, with a few helpers that make clients by name and record everything each of them sees:
 * its states, closes, frames and token refreshes.
 */
public final class ClientPage {

    private static final String HELPERS = """
            window.made = {};
            // the document shows every client's state and log, for the screenshots of a failed test
            document.body.replaceChildren();
            const shown = document.createElement('pre');
            document.body.append(shown);
            window.showLogs = () => setTimeout(() => {
              shown.textContent = JSON.stringify(Object.fromEntries(Object.entries(made)
                  .map(([name, m]) => [name, {state: m.client.state, pending: m.client.pending(), ...m.log}])), null, 1);
            }, 0);
            window.make = (name, chatId, token, options) => {
              const log = {states: [], closes: [], messages: [], updated: [], deleted: [], typing: [], read: [],
                           errors: [], delays: [], established: 0, refreshes: 0, resyncs: 0};
              const settings = {initialDelayMs: options.initialDelayMs ?? 300};
              if (options.url) settings.url = options.url;
              if (options.maxDelayMs) settings.maxDelayMs = options.maxDelayMs;
              if (options.refreshTo) {
                settings.refreshToken = async () => { log.refreshes++; return options.refreshTo; };
              }
              const client = new window.ChatWebSocket(chatId, token, settings);
              client.on('state', s => {
                log.states.push(s.state);
                if (s.delayMs !== undefined) log.delays.push(s.delayMs);
              });
              client.on('close', e => log.closes.push(e));
              client.on('connection_established', () => log.established++);
              client.on('resync', () => log.resyncs++);
              client.on('message', m => log.messages.push({id: m.id, text: m.text}));
              client.on('message_updated', m => log.updated.push({id: m.id, text: m.text}));
              client.on('message_deleted', m => log.deleted.push({id: m.id, deleted: m.is_deleted}));
              client.on('typing', t => log.typing.push({user: t.username, on: t.is_typing}));
              client.on('messages_read', r => log.read.push(r.username));
              client.on('error', e => log.errors.push(e.message));
              ['state', 'close', 'frame'].forEach(event => client.on(event, showLogs));
              window.made[name] = {client, log};
              client.connect();
            };
            window.until = (predicate, done, timeoutMs) => {
              const start = Date.now();
              const tick = () => {
                let ok = false;
                try { ok = predicate(); } catch (e) { ok = false; }
                if (ok) done(true);
                else if (Date.now() - start > timeoutMs) done(false);
                else setTimeout(tick, 25);
              };
              tick();
            };
            """;

    private final WebDriver driver;
    private final JavascriptExecutor js;

    private ClientPage(WebDriver driver) {
        this.driver = driver;
        this.js = (JavascriptExecutor) driver;
    }

    /** Opens the server's origin in the session and imports the client from it. */
    public static ClientPage load(WebDriver driver, int port) {
        // any same-origin document will do: the client's own URL is one that needs no token
        driver.get("http://127.0.0.1:" + port + "/client/chat-client.js");
        ClientPage page = new ClientPage(driver);
        Object imported = page.js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/client/chat-client.js').then(m => { window.ChatWebSocket = m.ChatWebSocket; done('ok'); },
                    e => done('import failed: ' + e));
                """);
        assertThat(imported).isEqualTo("ok");
        page.js.executeScript(HELPERS);
        return page;
    }

    public WebDriver driver() {
        return driver;
    }

    /** A client named {@code name} of the chat, connecting at once; {@code options} is a JS object literal. */
    public void make(String name, long chatId, String token, String options) {
        js.executeScript("make(arguments[0], arguments[1], arguments[2], " + options + ")", name, chatId, token);
    }

    /** Runs {@code code} with {@code c} bound to the named client and returns its value. */
    public Object run(String name, String code) {
        return js.executeScript("const c = made[arguments[0]].client; const log = made[arguments[0]].log; "
                + code, name);
    }

    /** Runs asynchronous {@code code} with {@code c}, {@code log} and {@code done} (call it with the result). */
    public Object runAsync(String name, String code) {
        return js.executeAsyncScript("const done = arguments[arguments.length - 1]; "
                + "const c = made[arguments[0]].client; const log = made[arguments[0]].log; " + code, name);
    }

    /** Runs asynchronous {@code code} with {@code done} (call it with the result) and the class {@code ChatWebSocket}. */
    public Object runAsync(String code) {
        return js.executeAsyncScript("const done = arguments[arguments.length - 1]; " + code);
    }

    /** Waits until the JS {@code condition} holds, with {@code c} and {@code log} of the named client. */
    public void await(String name, String condition) {
        await(name, condition, 15_000);
    }

    public void await(String name, String condition, long timeoutMs) {
        Object held = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const c = made[arguments[0]].client; const log = made[arguments[0]].log;
                until(() => (%s), done, arguments[1]);
                """.formatted(condition), name, timeoutMs);
        assertThat(held).as("%s: %s; log %s", name, condition, log(name)).isEqualTo(true);
    }

    /** Everything the named client has seen so far. */
    public JsonNode log(String name) {
        return Api.parse((String) js.executeScript(
                "return JSON.stringify(Object.assign({state: made[arguments[0]].client.state,"
                        + " pending: made[arguments[0]].client.pending().length}, made[arguments[0]].log))",
                name));
    }
}
