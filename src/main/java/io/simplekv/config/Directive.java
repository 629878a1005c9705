package io.simplekv.config;

import java.util.List;
import java.util.Locale;

/**
 * One config directive: its Redis name, default, how its value is checked and normalised, and whether
 * CONFIG SET may change it at run time. Values are kept as normalised text, the form CONFIG GET shows.
 */
public record Directive(String name, String defaultValue, Kind kind, boolean mutable, long min, long max,
                        List<String> choices, boolean clamp) {

    public Directive(String name, String defaultValue, Kind kind, boolean mutable, long min, long max, List<String> choices) {
        this(name, defaultValue, kind, mutable, min, max, choices, false);
    }

    /** An integer Redis silently clamps into its range instead of refusing (hz). */
    public static Directive clamped(String name, long def, long min, long max, boolean mutable) {
        return new Directive(name, Long.toString(def), Kind.INT, mutable, min, max, List.of(), true);
    }

    /** A memory value with a lower bound (proto-max-bulk-len, client-query-buffer-limit). */
    public static Directive memory(String name, String def, long min, boolean mutable) {
        return new Directive(name, Long.toString(parseMemory(def)), Kind.MEMORY, mutable, min, Long.MAX_VALUE, List.of());
    }

    public enum Kind { INT, MEMORY, MEMORY_OR_PERCENT, BOOL, ENUM, STRING, MULTI }

    /** A memory value, or a percentage of maxmemory written "N%" (Redis's PERCENT_CONFIG: maxmemory-clients). */
    public static Directive memoryOrPercent(String name, String def, boolean mutable) {
        return new Directive(name, def, Kind.MEMORY_OR_PERCENT, mutable, 0, Long.MAX_VALUE, List.of());
    }

    public static Directive integer(String name, long def, long min, long max, boolean mutable) {
        return new Directive(name, Long.toString(def), Kind.INT, mutable, min, max, List.of());
    }

    public static Directive memory(String name, String def, boolean mutable) {
        return new Directive(name, Long.toString(parseMemory(def)), Kind.MEMORY, mutable, 0, Long.MAX_VALUE, List.of());
    }

    public static Directive bool(String name, boolean def, boolean mutable) {
        return new Directive(name, def ? "yes" : "no", Kind.BOOL, mutable, 0, 0, List.of());
    }

    public static Directive oneOf(String name, String def, boolean mutable, String... choices) {
        return new Directive(name, def, Kind.ENUM, mutable, 0, 0, List.of(choices));
    }

    public static Directive string(String name, String def, boolean mutable) {
        return new Directive(name, def, Kind.STRING, mutable, 0, 0, List.of());
    }

    /** A directive that takes several words (bind, save, client-output-buffer-limit), kept space-joined. */
    public static Directive words(String name, String def, boolean mutable) {
        return new Directive(name, def, Kind.MULTI, mutable, 0, 0, List.of());
    }

    /** Checks and normalises the arguments given to this directive. */
    public String normalise(List<String> args) {
        if (kind == Kind.MULTI) {
            if (name.equals("save")) checkSavePoints(args);
            return String.join(" ", args);
        }
        if (args.size() != 1) throw new ConfigException("wrong number of arguments");
        String v = args.get(0);
        switch (kind) {
            case INT -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                if (clamp) n = Math.max(min, Math.min(max, n));
                if (n < min || n > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                return Long.toString(n);
            }
            case MEMORY -> {
                long n = parseMemory(v);
                if (n < 0) throw new ConfigException("argument must be a memory value");
                if (n < min) throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                return Long.toString(n);
            }
            case MEMORY_OR_PERCENT -> {
                if (v.endsWith("%")) {
                    long p;
                    try {
                        p = Long.parseLong(v.substring(0, v.length() - 1));
                    } catch (NumberFormatException e) {
                        throw new ConfigException("argument must be a memory or percent value");
                    }
                    if (p < 0) throw new ConfigException("argument must be a memory or percent value");
                    if (p > 100) throw new ConfigException("percentage argument must be less or equal to 100");
                    return p + "%";
                }
                long n = parseMemory(v);
                if (n < 0) throw new ConfigException("argument must be a memory or percent value");
                return Long.toString(n);
            }
            case BOOL -> {
                String b = v.toLowerCase(Locale.ROOT);
                if (!b.equals("yes") && !b.equals("no")) throw new ConfigException("argument must be 'yes' or 'no'");
                return b;
            }
            case ENUM -> {
                String e = v.toLowerCase(Locale.ROOT);
                if (!choices.contains(e)) {
                    throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", choices));
                }
                return e;
            }
            default -> {
                return v;
            }
        }
    }

    /** setConfigSaveOption's check: "seconds changes" pairs, seconds at least 1, changes at least 0; "" alone is none. */
    private static void checkSavePoints(List<String> args) {
        if (args.size() == 1 && args.get(0).isEmpty()) return;
        // One argument is split at spaces, as Redis splits a multi-argument directive given as one ("--save '60 1'").
        if (args.size() == 1) args = List.of(args.get(0).trim().split("\\s+"));
        if (args.size() % 2 != 0) throw new ConfigException("Invalid save parameters");
        for (int j = 0; j < args.size(); j++) {
            long v;
            try {
                v = Long.parseLong(args.get(j));
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid save parameters");
            }
            if (v < (j % 2 == 0 ? 1 : 0)) throw new ConfigException("Invalid save parameters");
        }
    }

    /** Redis's memtoll: a number with an optional unit k, kb, m, mb, g, gb (case-insensitive); -1 if invalid. */
    public static long parseMemory(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(v);
            return n < 0 ? -1 : Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }
}
