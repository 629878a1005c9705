package io.simplekv.command;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespTree;
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

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Redis 7.0.15's exact replies, in RESP2 and RESP3, to the cases of scripts/tools/replies/*.cases (recorded by
 * scripts/tools/record-replies.sh), replayed on one connection per engine: each case starts from the same reset
 * Redis started from, and every reply must be byte for byte Redis's, except the lines recorded as unchecked, as
 * shape only (the same skeleton: types, sizes, map keys) or as unordered (the same values in any hash-table order).
 * {@code -Dreplies.groups=server,pubsub} replays only those groups' files (all of them by default).
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
        // Every differing reply of the case is reported, not just the first: a case is one scenario to fix.
        List<String> differences = new ArrayList<>();
        for (Exchange e : c.exchanges) {
            String actual = r.send(e.request);
            if (e.reply == null) continue;
            boolean same = switch (e.mode) {
                case EXACT -> e.reply.equals(actual);
                case SHAPE -> shape(e.reply).equals(shape(actual));
                case UNORDERED -> canonical(e.reply).equals(canonical(actual));
            };
            if (!same) {
                differences.add(printable(e.request) + (e.mode == Mode.EXACT ? "" : " (" + e.mode + ")")
                        + "\n  expected: " + visible(e.reply) + "\n  actual:   " + visible(actual));
            }
        }
        if (!differences.isEmpty()) fail(c.name + ", RESP" + protocol + ":\n" + String.join("\n", differences));
    }

    private static String visible(String reply) {
        return reply.replace("\r\n", "\\r\\n").replace("\n", "\\n");
    }

    private static String shape(String replies) {
        StringBuilder b = new StringBuilder();
        for (RespTree t : RespTree.parseAll(replies)) b.append(t.shape());
        return b.toString();
    }

    private static String canonical(String replies) {
        StringBuilder b = new StringBuilder();
        for (RespTree t : RespTree.parseAll(replies)) b.append(t.canonical().encode());
        return b.toString();
    }

    private static String printable(String request) {
        return request.replace("\r\n", " ");
    }

    /** How a recorded reply is compared: byte for byte, by its skeleton, or as the same values in any order. */
    enum Mode { EXACT, SHAPE, UNORDERED }

    record Exchange(String request, String reply, Mode mode) {}

    record Case(String name, List<Exchange> exchanges) {}

    /** -Dreplies.groups=hash,zset replays only those groups' files (to iterate on one group); all of them by default. */
    private static List<String> recordedFiles() {
        List<String> only = List.of(System.getProperty("replies.groups", "").split(",")).stream()
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

    /**
     * The format record_replies.py writes: a '#' line, then "case", "request n" and "reply m" (or "reply ?",
     * "reply shape m", "reply unordered m") sections.
     */
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
                    String[] reply = text.substring(pos, eol).split(" ");
                    pos = eol + 1;
                    String body = null;
                    Mode mode = switch (reply.length == 3 ? reply[1] : "") {
                        case "shape" -> Mode.SHAPE;
                        case "unordered" -> Mode.UNORDERED;
                        default -> Mode.EXACT;
                    };
                    String length = reply[reply.length - 1];
                    if (!length.equals("?")) {
                        end = pos + Integer.parseInt(length);
                        body = text.substring(pos, end);
                        pos = end + 1;
                    }
                    cases.get(cases.size() - 1).exchanges.add(new Exchange(request, body, mode));
                }
                default -> throw new IllegalStateException(file + ": unexpected line " + head[0] + " at " + pos);
            }
        }
        return cases;
    }
}
