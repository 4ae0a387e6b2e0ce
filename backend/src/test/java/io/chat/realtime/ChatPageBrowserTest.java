package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.Browsers;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;

/**
 * The chat page at {@code /}, in two headless Chromium sessions as two users (one of them on an
 * emulated phone, 390 px wide): register, find each other, chat both ways with typing, read
 * receipts, edits and deletes; then the connection of one drops, the page shows it reconnecting, and
 * what it sends meanwhile arrives once. And a returning user logs in, sees the unread count and
 * pages back through history.
 */
@ChatServerTest
@TestPropertySource(properties = "chat.limits.messages-per-minute=1000000")
class ChatPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    LocalSessions sessions;

    @Test
    void twoUsersRegisterFindEachOtherAndChat() {
        String annName = Api.uniqueName("ann");
        String benName = Api.uniqueName("ben");
        WebDriver ann = browsers.open();
        WebDriver ben = browsers.open(true);
        register(ann, annName);
        register(ben, benName);
        browsers.step("registered");

        // ann finds ben and starts a chat
        ann.findElement(By.id("search")).sendKeys(benName);
        until(ann, d -> d.findElements(By.cssSelector("#search-results li[data-user-id]")).size() == 1);
        ann.findElement(By.cssSelector("#search-results li[data-user-id]")).click();
        until(ann, d -> "connected".equals(d.findElement(By.id("conn-state")).getAttribute("data-state")));
        assertThat(ann.findElement(By.id("chat-title")).getText()).isEqualTo(benName);
        send(ann, "hello ben");
        until(ann, d -> texts(d).equals(List.of("hello ben")) && pending(d) == 0);
        browsers.step("ann-started-a-chat");

        // ben sees the chat with one unread message, opens it
        until(ben, d -> d.findElements(By.cssSelector("#chat-list li .unread")).stream()
                .anyMatch(badge -> badge.getText().equals("1")));
        ben.findElement(By.cssSelector("#chat-list li")).click();
        until(ben, d -> texts(d).equals(List.of("hello ben")));
        until(ben, d -> "connected".equals(d.findElement(By.id("conn-state")).getAttribute("data-state")));
        // ben opened the chat: ann's message shows as read
        until(ann, d -> !d.findElements(By.cssSelector("#messages li.mine .read")).isEmpty());
        browsers.step("ben-read-it");

        // ben types: ann sees it; ben sends: ann sees it
        ben.findElement(By.id("text")).sendKeys("hi");
        until(ann, d -> d.findElement(By.id("typing")).getText().contains(benName + " is typing"));
        ben.findElement(By.id("text")).sendKeys(" ann");
        ben.findElement(By.id("send")).click();
        until(ann, d -> texts(d).equals(List.of("hello ben", "hi ann")));
        until(ben, d -> texts(d).equals(List.of("hello ben", "hi ann")));
        until(ann, d -> d.findElement(By.id("typing")).getText().isEmpty());
        browsers.step("ben-answered");

        // ann edits and deletes her message; ben sees both
        WebElement mine = ann.findElement(By.cssSelector("#messages li.mine"));
        mine.findElement(By.cssSelector("button.edit")).click();
        WebElement text = ann.findElement(By.id("text"));
        text.clear();
        text.sendKeys("hello ben, edited");
        ann.findElement(By.id("send")).click();
        until(ben, d -> texts(d).equals(List.of("hello ben, edited", "hi ann"))
                && !d.findElements(By.cssSelector("#messages li .edited")).isEmpty());
        ann.findElement(By.cssSelector("#messages li.mine button.delete")).click();
        until(ben, d -> texts(d).equals(List.of("Message deleted", "hi ann")));
        browsers.step("ann-edited-and-deleted");

        // ann's connection drops: the page shows it reconnecting; a message sent meanwhile arrives once
        // the user types and sends as soon as the page shows the connection down (it is back within a second)
        ((JavascriptExecutor) ann).executeScript("""
                window.seenStates = [];
                const state = document.getElementById('conn-state');
                new MutationObserver(() => {
                  seenStates.push(state.dataset.state + ':' + state.textContent);
                  if (state.dataset.state === 'reconnecting' && !window.sentOffline) {
                    window.sentOffline = true;
                    document.getElementById('text').value = 'sent while offline';
                    document.getElementById('composer').requestSubmit();
                    window.pendingWhileOffline = document.querySelectorAll('#messages li.pending').length;
                  }
                }).observe(state, {attributes: true, childList: true, characterData: true, subtree: true});
                """);
        long chat = Long.parseLong(ben.findElement(By.cssSelector("#chat-list li")).getAttribute("data-chat-id"));
        sessions.findByUser(chat, userId(ann)).close(CloseCodes.SERVER_ERROR);
        until(ann, d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return window.sentOffline === true")));
        assertThat(((JavascriptExecutor) ann).executeScript("return window.pendingWhileOffline")).isEqualTo(1L);
        assertThat(((JavascriptExecutor) ann).executeScript("return seenStates").toString())
                .contains("reconnecting:reconnecting…");
        browsers.step("ann-sent-while-reconnecting");
        until(ann, d -> "connected".equals(d.findElement(By.id("conn-state")).getAttribute("data-state")));
        until(ben, d -> texts(d).equals(List.of("Message deleted", "hi ann", "sent while offline")));
        until(ann, d -> texts(d).equals(List.of("Message deleted", "hi ann", "sent while offline")) && pending(d) == 0);
        browsers.step("ann-reconnected");
        send(ben, "welcome back");
        until(ann, d -> texts(d).equals(List.of("Message deleted", "hi ann", "sent while offline", "welcome back")));
        until(ben, d -> texts(d).equals(List.of("Message deleted", "hi ann", "sent while offline", "welcome back")));
        assertThat(((JavascriptExecutor) ben).executeScript("return innerWidth")).isEqualTo(390L);
        assertThat(((JavascriptExecutor) ben).executeScript(
                "return document.documentElement.scrollWidth <= innerWidth")).as("no sideways scrolling").isEqualTo(true);
    }

    @Test
    void logsInAndPagesBackThroughHistory() {
        Api api = new Api(port);
        TestUser cat = api.newUser();
        TestUser dan = api.newUser();
        long chat = api.newChat(dan, cat);
        for (int i = 1; i <= 40; i++) {
            assertThat(api.post("/api/chats/" + chat + "/messages/", dan.access(),
                    Api.json(Map.of("text", "old " + i))).status()).isEqualTo(201);
        }
        WebDriver browser = browsers.open();
        browser.get("http://127.0.0.1:" + port + "/");
        until(browser, d -> d.findElement(By.id("auth")).isDisplayed());
        browser.findElement(By.id("username")).sendKeys(cat.username());
        browser.findElement(By.id("password")).sendKeys(cat.password() + "-wrong");
        browser.findElement(By.id("login")).click();
        until(browser, d -> !d.findElement(By.id("auth-error")).getText().isEmpty());
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys(cat.password());
        browser.findElement(By.id("login")).click();
        until(browser, d -> d.findElements(By.cssSelector("#chat-list li .unread")).stream()
                .anyMatch(badge -> badge.getText().equals("40")));
        browser.findElement(By.cssSelector("#chat-list li")).click();
        until(browser, d -> texts(d).size() == 30 && d.findElement(By.id("older")).isDisplayed());
        browsers.step("latest-page");
        assertThat(texts(browser).get(0)).isEqualTo("old 11");
        browser.findElement(By.id("older")).click();
        until(browser, d -> texts(d).size() == 40 && !d.findElement(By.id("older")).isDisplayed());
        assertThat(texts(browser)).startsWith("old 1", "old 2").endsWith("old 40");
    }

    private void register(WebDriver driver, String username) {
        driver.get("http://127.0.0.1:" + port + "/");
        until(driver, d -> d.findElement(By.id("auth")).isDisplayed());
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys("password-" + username);
        driver.findElement(By.id("register")).click();
        until(driver, d -> d.findElement(By.id("app")).isDisplayed());
        assertThat(driver.findElement(By.id("me")).getText()).isEqualTo(username);
    }

    private static void send(WebDriver driver, String text) {
        driver.findElement(By.id("text")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    /** The texts of the stored messages on the page, oldest first (not the ones still being sent). */
    private static List<String> texts(WebDriver driver) {
        return driver.findElements(By.cssSelector("#messages li[data-id] .text")).stream()
                .map(WebElement::getText).toList();
    }

    private static long pending(WebDriver driver) {
        return driver.findElements(By.cssSelector("#messages li.pending")).size();
    }

    private long userId(WebDriver driver) {
        String token = (String) ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('chat.access')");
        return new Api(port).get("/api/users/me/", token).json().get("id").asLong();
    }

    private static void until(WebDriver driver, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }
}
