package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LATENCY and INFO latencystats (the monitor's samples need real time: DEBUG SLEEP on the real clock). */
@ParameterizedClass
@EnumSource(EngineKind.class)
class LatencyCommandsTest extends ServerTestBase {
    @Override
    protected Map<String, String> config() {
        return Map.of("enable-debug-command", "yes");
    }

    @Test
    void histogramCountsCallsPerCommandAndSubcommand() {
        r.call("CONFIG", "RESETSTAT");
        r.call("SET", "a", "b");
        r.call("SET", "c", "d");
        r.call("CLIENT", "ID");
        String all = r.call("LATENCY", "HISTOGRAM");
        assertTrue(all.startsWith("*6\r\n"), all); // set, client|id, config|resetstat as a flat map in RESP2
        assertTrue(all.contains("$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:2\r\n$14\r\nhistogram_usec\r\n"), all);
        String client = r.call("LATENCY", "HISTOGRAM", "client", "nosuchcommand");
        assertTrue(client.startsWith("*2\r\n$9\r\nclient|id\r\n"), client);
        r.call("HELLO", "3");
        assertTrue(r.call("LATENCY", "HISTOGRAM", "set").startsWith("%1\r\n$3\r\nset\r\n%2\r\n"));
        assertTrue(r.call("INFO", "latencystats").contains("latency_percentiles_usec_set:p50="));
    }

    @Test
    void eventsPastTheThresholdAreSampled() {
        assertEquals("*0\r\n", r.call("LATENCY", "LATEST"));
        assertTrue(r.call("LATENCY", "DOCTOR").contains("no latency spike was observed"));
        assertEquals(error("ERR No samples available for event 'command'"), r.call("LATENCY", "GRAPH", "command"));
        r.call("CONFIG", "SET", "latency-monitor-threshold", "1");
        r.call("DEBUG", "SLEEP", "0");
        r.call("EVAL", "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
                + "repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - s > 5000", "0");
        String latest = r.call("LATENCY", "LATEST");
        assertTrue(latest.contains("$7\r\ncommand\r\n"), latest);
        assertTrue(r.call("LATENCY", "HISTORY", "command").startsWith("*1\r\n*2\r\n:"));
        assertEquals("*0\r\n", r.call("LATENCY", "HISTORY", "nosuchevent"));
        assertTrue(r.call("LATENCY", "GRAPH", "command").contains("command - high "));
        assertTrue(r.call("LATENCY", "DOCTOR").contains(". command: 1 latency spikes"));
        assertEquals(integer(0), r.call("LATENCY", "RESET", "nosuchevent"));
        assertTrue(r.call("LATENCY", "RESET").matches(":[12]\r\n"), "command, and fast-command if one took 1 ms");
        assertEquals("*0\r\n", r.call("LATENCY", "LATEST"));
    }
}
