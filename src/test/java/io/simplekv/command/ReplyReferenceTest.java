package io.simplekv.command;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis 7.0.15's exact replies, in RESP2 and RESP3, to the cases of scripts/tools/replies/*.cases (recorded by
 * scripts/tools/record-replies.sh), replayed on one connection per engine: each case starts from the same reset
 * Redis started from, and every reply must be byte for byte Redis's, except the lines recorded as unchecked.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ReplyReferenceTest {
    private static final List<String[]> SETUP = List.of(new String[] {"RESET"}, new String[] {"FLUSHALL"},
            new String[] {"SCRIPT", "FLUSH"}, new String[] {"FUNCTION", "FLUSH"}, new String[] {"CONFIG", "RESETSTAT"},
            new String[] {"SELECT", "0"});

    @Parameter
    EngineKind engine;
    @TempDir
    Path dir;
    private ServerFixture server;
    private Wire r;

    /** Around the factory, so around all of its dynamic tests: one server and connection per engine. */
    @BeforeEach
    void start() {
        server = new ServerFixture(engine, dir, Map.of("enable-debug-command", "yes"));
        r = server.connect();
    }

    @AfterEach
    void stop() {
        r.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicNode> everyRecordedReplyIsRedis() {
        return recordedFiles().stream().map(file -> DynamicContainer.dynamicContainer(file,
                load(file).stream().map(c -> DynamicTest.dynamicTest(c.name, () -> replay(c, file.endsWith("3") ? 3 : 2)))));
    }

    private void replay(Case c, int protocol) {
        for (String[] setup : SETUP) r.call(setup);
        r.call("HELLO", Integer.toString(protocol));
        for (Exchange e : c.exchanges) {
            String actual = r.send(e.request);
            if (e.reply != null) assertEquals(e.reply, actual, c.name + ": " + printable(e.request));
        }
    }

    private static String printable(String request) {
        return request.replace("\r\n", " ");
    }

    record Exchange(String request, String reply) {}

    record Case(String name, List<Exchange> exchanges) {}

    /** -Dreplies.group=hash,zset replays only those groups' files (to iterate on one group); all of them by default. */
    private static List<String> recordedFiles() {
        List<String> only = List.of(System.getProperty("replies.group", "").split(",")).stream()
                .filter(g -> !g.isBlank()).toList();
        try {
            Path root = Path.of(ReplyReferenceTest.class.getResource("/redis-7.0.15").toURI());
            try (Stream<Path> files = Files.list(root)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("replies."))
                        .filter(n -> only.isEmpty() || only.contains(n.substring("replies.".length(), n.lastIndexOf('.'))))
                        .sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The format record_replies.py writes: a '#' line, then "case", "request n" and "reply m" (or "reply ?") sections. */
    static List<Case> load(String file) {
        String text;
        try (InputStream in = ReplyReferenceTest.class.getResourceAsStream("/redis-7.0.15/" + file)) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        int pos = text.indexOf('\n') + 1;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            String[] head = text.substring(pos, eol).split(" ", 2);
            pos = eol + 1;
            switch (head[0]) {
                case "case" -> cases.add(new Case(head[1], new ArrayList<>()));
                case "request" -> {
                    int end = pos + Integer.parseInt(head[1]);
                    String request = text.substring(pos, end);
                    pos = end + 1;
                    eol = text.indexOf('\n', pos);
                    String[] reply = text.substring(pos, eol).split(" ", 2);
                    pos = eol + 1;
                    String body = null;
                    if (!reply[1].equals("?")) {
                        end = pos + Integer.parseInt(reply[1]);
                        body = text.substring(pos, end);
                        pos = end + 1;
                    }
                    cases.get(cases.size() - 1).exchanges.add(new Exchange(request, body));
                }
                default -> throw new IllegalStateException(file + ": unexpected line " + head[0] + " at " + pos);
            }
        }
        return cases;
    }
}
