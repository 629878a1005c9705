package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandSpec;
import io.simplekv.command.CommandStats;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.observe.LatencyMonitor;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.simplekv.command.CommandSpec.command;

/** LATENCY LATEST, HISTORY, RESET, GRAPH, DOCTOR, HISTOGRAM and HELP, as Redis's latency.c answers them. */
public final class LatencyCommands {
    private LatencyCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("latency", null)
                .sub(command("latest", LatencyCommands::latest))
                .sub(command("history", LatencyCommands::history))
                .sub(command("reset", LatencyCommands::reset))
                .sub(command("graph", LatencyCommands::graph))
                .sub(command("doctor", LatencyCommands::doctor))
                .sub(command("histogram", LatencyCommands::histogram))
                .sub(command("help", (c, a, o) -> Help.reply(o, "LATENCY",
                        "DOCTOR", "    Return a human readable latency analysis report.",
                        "GRAPH <event>", "    Return an ASCII latency graph for the <event> class.",
                        "HISTORY <event>", "    Return time-latency samples for the <event> class.",
                        "LATEST", "    Return the latest latency samples for all events.",
                        "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
                        "    (default: reset all data for all event classes)",
                        "HISTOGRAM [COMMAND ...]", "    Return a cumulative distribution of latencies in the format of a "
                                + "histogram for the specified command names.",
                        "    If no commands are specified then all histograms are replied."))));
    }

    private static LatencyMonitor monitor(Session c) {
        return c.server().latency();
    }

    static void latest(Session c, byte[][] a, ReplySink out) {
        Map<String, LatencyMonitor.Series> events = monitor(c).events();
        out.array(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            long[] last = e.getValue().latest();
            out.array(4);
            out.bulk(e.getKey());
            out.integer(last[0]);
            out.integer(last[1]);
            out.integer(e.getValue().max());
        }
    }

    static void history(Session c, byte[][] a, ReplySink out) {
        LatencyMonitor.Series ts = monitor(c).series(Args.text(a[2]));
        List<long[]> samples = ts == null ? List.of() : ts.samples();
        out.array(samples.size());
        for (long[] s : samples) {
            out.array(2);
            out.integer(s[0]);
            out.integer(s[1]);
        }
    }

    static void reset(Session c, byte[][] a, ReplySink out) {
        if (a.length == 2) {
            out.integer(monitor(c).reset(null));
            return;
        }
        int n = 0;
        for (int j = 2; j < a.length; j++) n += monitor(c).reset(Args.text(a[j]));
        out.integer(n);
    }

    /** The header and the samples as columns of '#' (Redis draws a sparkline; the numbers are the same). */
    static void graph(Session c, byte[][] a, ReplySink out) {
        String event = Args.text(a[2]);
        LatencyMonitor.Series ts = monitor(c).series(event);
        if (ts == null) throw RedisError.err("No samples available for event '" + event + "'");
        List<long[]> samples = ts.samples();
        long max = 0, min = Long.MAX_VALUE;
        for (long[] s : samples) {
            max = Math.max(max, s[1]);
            min = Math.min(min, s[1]);
        }
        StringBuilder g = new StringBuilder(event + " - high " + max + " ms, low " + min + " ms (all time high "
                + ts.max() + " ms)\n" + "-".repeat(80) + "\n");
        for (long[] s : samples) g.append("#".repeat((int) Math.max(1, max == 0 ? 1 : s[1] * 20 / max))).append('\n');
        out.verbatim("txt", g.toString());
    }

    static void doctor(Session c, byte[][] a, ReplySink out) {
        Map<String, LatencyMonitor.Series> events = monitor(c).events();
        if (events.isEmpty()) {
            out.verbatim("txt", "Dave, no latency spike was observed during the lifetime of this Redis instance, not "
                    + "in the slightest bit. I honestly think you ought to sleep tonight.\n");
            return;
        }
        StringBuilder r = new StringBuilder("Dave, I have observed latency spikes in this Redis instance. You don't "
                + "mind talking about it, do you Dave?\n\n");
        int i = 1;
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            List<long[]> s = e.getValue().samples();
            long sum = 0;
            for (long[] x : s) sum += x[1];
            r.append(i++).append(". ").append(e.getKey()).append(": ").append(s.size()).append(" latency spikes (average ")
                    .append(s.isEmpty() ? 0 : sum / s.size()).append("ms). Worst all time event ")
                    .append(e.getValue().max()).append("ms.\n");
        }
        r.append("\nI have a few advices for you:\n\n- Check your slow log (SLOWLOG GET) for the commands behind the "
                + "spikes, and whether they touch big keys.\n");
        out.verbatim("txt", r.toString());
    }

    /** LATENCY HISTOGRAM [command...]: per command with calls, its calls and cumulative counts by bucket. */
    static void histogram(Session c, byte[][] a, ReplySink out) {
        List<CommandSpec> chosen = new ArrayList<>();
        if (a.length == 2) {
            for (CommandSpec spec : c.server().commands().all()) {
                chosen.add(spec);
                chosen.addAll(spec.subcommands.values());
            }
        } else {
            for (int j = 2; j < a.length; j++) {
                CommandSpec spec = lookup(c, Args.text(a[j]));
                if (spec == null) continue;
                chosen.add(spec);
                chosen.addAll(spec.subcommands.values());
            }
        }
        chosen.removeIf(s -> s.stats.calls.sum() == 0);
        out.map(chosen.size());
        for (CommandSpec spec : chosen) {
            out.bulk(spec.fullName);
            out.map(2);
            out.bulk("calls");
            out.integer(spec.stats.calls.sum());
            out.bulk("histogram_usec");
            List<long[]> points = new ArrayList<>();
            long cumulative = 0;
            for (int i = 0; i < CommandStats.BUCKETS; i++) {
                long n = spec.stats.latencyCount(i);
                if (n == 0) continue;
                cumulative += n;
                points.add(new long[] {CommandStats.bucketMicros(i), cumulative});
            }
            out.map(points.size());
            for (long[] p : points) {
                out.integer(p[0]);
                out.integer(p[1]);
            }
        }
    }

    /** A command by name, or a subcommand as "container|sub" (lookupCommandBySds). */
    private static CommandSpec lookup(Session c, String name) {
        int bar = name.indexOf('|');
        CommandTable table = c.server().commands();
        if (bar < 0) return table.lookup(name.toLowerCase());
        CommandSpec container = table.lookup(name.substring(0, bar).toLowerCase());
        if (container == null) return null;
        return container.subcommands.get(name.substring(bar + 1).toLowerCase());
    }
}
