package io.simplekv.command.connection;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxmemory-clients (Redis 7.0's client eviction), CLIENT NO-EVICT, and the memory fields of CLIENT LIST. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ClientEvictionTest extends ServerTestBase {
    /** A SET whose 2 MB value is announced but only begun: its room is taken at the header, as Redis's query buffer. */
    private static final String BIG_SET = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n" + "x".repeat(1000);

    private String field(String name, String field) {
        String line = Arrays.stream(r.call("CLIENT", "LIST").split("\n")).filter(l -> l.contains(" name=" + name + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no client " + name));
        return line.replaceAll(".* " + field + "=([^ ]*).*", "$1").trim();
    }

    @Test
    void theClientOverTheLimitIsClosedAndTheOthersStay() {
        // The test's own client too would be closed once the spared one holds the memory: as Redis's tests, spare it.
        assertEquals("+OK\r\n", r.call("CLIENT", "NO-EVICT", "ON"));
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "maxmemory-clients", "1mb"));
        try (Wire big = server.connect(); Wire small = server.connect()) {
            small.call("CLIENT", "SETNAME", "small");
            big.call("CLIENT", "SETNAME", "big");
            big.send(BIG_SET);
            assertFalse(big.isOpen(), "evicted");
            assertTrue(small.isOpen());
            assertEquals("+PONG\r\n", small.call("PING"));
            assertTrue(r.call("INFO", "stats").contains("\r\nevicted_clients:1\r\n"));
            long left = Long.parseLong(r.call("INFO", "memory").replaceAll("(?s).*\r\nmem_clients_normal:(\\d+).*", "$1"));
            assertTrue(left < 1_000_000, "the evicted client's memory left the total: " + left);
        }
        try (Wire spared = server.connect()) {
            spared.call("CLIENT", "SETNAME", "spared");
            assertEquals("+OK\r\n", spared.call("CLIENT", "NO-EVICT", "ON"));
            try (Wire bystander = server.connect()) {
                spared.send(BIG_SET);
                assertTrue(spared.isOpen(), "CLIENT NO-EVICT ON is never evicted");
                assertFalse(bystander.isOpen(), "the memory is still over the limit: an evictable client goes instead");
            }
            assertTrue(field("spared", "flags").contains("e"));
            assertTrue(Long.parseLong(field("spared", "tot-mem")) > 2_000_000, field("spared", "tot-mem"));
        }
        assertEquals(error("ERR syntax error"), r.call("CLIENT", "NO-EVICT", "maybe"));
        r.call("CONFIG", "SET", "maxmemory-clients", "0");
        try (Wire unlimited = server.connect()) {
            unlimited.send(BIG_SET);
            assertTrue(unlimited.isOpen(), "maxmemory-clients 0: no eviction");
        }
    }

    @Test
    void clientListCountsQueuedCommandsArgumentsAndReplies() {
        try (Wire c = server.connect()) {
            c.call("CLIENT", "SETNAME", "queued");
            long idle = Long.parseLong(field("queued", "tot-mem"));
            assertEquals("-1", field("queued", "multi"));
            c.call("MULTI");
            c.call("SET", "a", "v".repeat(10_000));
            c.call("WATCH", "x"); // refused inside MULTI: still one queued command
            assertEquals("1", field("queued", "multi"));
            long multiMem = Long.parseLong(field("queued", "multi-mem"));
            assertTrue(multiMem >= 10_000, "multi-mem " + multiMem);
            assertTrue(Long.parseLong(field("queued", "tot-mem")) >= idle + 10_000);
            assertTrue(field("queued", "flags").contains("x"));
            c.call("DISCARD");
            assertEquals("0", field("queued", "multi-mem"));
            assertTrue(Long.parseLong(r.call("INFO", "memory").replaceAll("(?s).*\r\nmem_clients_normal:(\\d+).*", "$1")) > 0);
        }
    }

    private static String error(String text) {
        return "-" + text + "\r\n";
    }
}
