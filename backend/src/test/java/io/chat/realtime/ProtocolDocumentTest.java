package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

import io.chat.message.MessageRejected;
import io.chat.support.RepositoryFiles;

/**
 * Keeps {@code docs/protocol.md} true: its table of close codes and its table of error texts must list
 * exactly what the server sends, read from the server's own constants. A code or text added on
 * either side alone fails here.
 */
class ProtocolDocumentTest {

    private static final Pattern CLOSE_ROW = Pattern.compile("^\\|\\s*(\\d{4})\\s*\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern ERROR_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");
    /** {@code {max_length}} in the document, {@code %d} or {@code %s} in the server's formats. */
    private static final Pattern DOC_PLACEHOLDER = Pattern.compile("\\{[a-z_]+\\}");
    private static final Pattern FORMAT_PLACEHOLDER = Pattern.compile("%[sd]");

    @Test
    void listsEveryCloseCodeTheServerSendsAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String row : tableRows(section("## 6. Close codes"))) {
            Matcher cells = CLOSE_ROW.matcher(row);
            assertThat(cells.find()).as("close code row %s: | code | `reason` | ...", row).isTrue();
            documented.add(cells.group(1) + " " + cells.group(2));
        }
        assertThat(documented).isEqualTo(serverCloseCodes());
    }

    @Test
    void listsEveryErrorTextTheServerSendsAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String row : tableRows(section("### Error frames"))) {
            Matcher cells = ERROR_ROW.matcher(row);
            assertThat(cells.find()).as("error row %s: | `text` | ...", row).isTrue();
            documented.add(DOC_PLACEHOLDER.matcher(cells.group(1)).replaceAll("{}"));
        }
        assertThat(documented).isEqualTo(serverErrorTexts());
    }

    @Test
    void showsTheGreetingTextTheServerSends() throws IOException {
        assertThat(section("### `connection_established`")).contains("`" + ServerFrames.CONNECTED_TEXT + "`");
    }

    private static Set<String> serverCloseCodes() {
        Set<String> codes = new TreeSet<>();
        for (Object value : constants(CloseCodes.class, CloseStatus.class)) {
            CloseStatus status = (CloseStatus) value;
            codes.add(status.getCode() + " " + status.getReason());
        }
        return codes;
    }

    /** Every text an error frame can carry: the frame errors, the message rules, a server failure. */
    private static Set<String> serverErrorTexts() {
        List<Object> texts = new ArrayList<>();
        texts.addAll(constants(InvalidFrame.class, String.class));
        texts.addAll(constants(MessageRejected.class, String.class));
        texts.add(ServerFrames.INTERNAL_ERROR);
        Set<String> normalized = new TreeSet<>();
        for (Object text : texts) {
            normalized.add(FORMAT_PLACEHOLDER.matcher((String) text).replaceAll("{}"));
        }
        return normalized;
    }

    private static List<Object> constants(Class<?> holder, Class<?> type) {
        List<Object> values = new ArrayList<>();
        for (Field field : holder.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == type) {
                try {
                    field.setAccessible(true);
                    values.add(field.get(null));
                } catch (IllegalAccessException unreadable) {
                    throw new AssertionError(unreadable);
                }
            }
        }
        assertThat(values).as("constants of %s", holder.getSimpleName()).isNotEmpty();
        return values;
    }

    /** The text from a heading to the next heading of the same or a higher level. */
    private static String section(String heading) throws IOException {
        String document = Files.readString(RepositoryFiles.find("docs/protocol.md"), StandardCharsets.UTF_8);
        int start = document.indexOf("\n" + heading + "\n");
        assertThat(start).as("heading %s in docs/protocol.md", heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        Matcher next = Pattern.compile("\n#{1," + (level.length() - 1) + "} ").matcher(document);
        int end = next.find(start + heading.length() + 1) ? next.start() : document.length();
        return document.substring(start + 1, end);
    }

    /** The body rows of the first Markdown table in the text, header and rule left out. */
    private static List<String> tableRows(String text) {
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                rows.add(line);
            } else if (inTable) {
                break;
            }
        }
        assertThat(rows).as("a table with a header, a rule and rows").hasSizeGreaterThan(2);
        return rows.subList(2, rows.size());
    }
}
