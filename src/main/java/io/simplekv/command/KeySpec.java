package io.simplekv.command;

import java.util.Locale;
import java.util.Set;

/**
 * One of a command's Redis 7 key specs: where the search for keys begins (an index, or after a keyword) and how
 * the keys are found from there (a range, or a count argument), with what the command does to those keys.
 * notes is null when Redis gives none.
 */
public record KeySpec(String notes, Set<Flag> flags, BeginSearch begin, FindKeys find) {
    public KeySpec {
        flags = Set.copyOf(flags);
    }

    /** Key spec flags, in the order COMMAND INFO lists them. */
    public enum Flag {
        RO, RW, OW, RM, ACCESS, UPDATE, INSERT, DELETE, NOT_KEY, INCOMPLETE, VARIABLE_FLAGS;

        /** "RO", "access", "not_key": Redis writes the four access kinds in capitals and the rest in lower case. */
        public final String redisName = ordinal() < 4 ? name() : name().toLowerCase(Locale.ROOT);

        static Flag of(String redisName) {
            return valueOf(redisName.toUpperCase(Locale.ROOT));
        }
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    public sealed interface BeginSearch {
    }

    /** The first key is at this argument index. */
    public record Index(int pos) implements BeginSearch {
    }

    /**
     * The first key follows this keyword, searched from startFrom (from the end when negative). Matching is
     * case-insensitive.
     */
    public record Keyword(String keyword, int startFrom) implements BeginSearch {
    }

    public record UnknownBegin() implements BeginSearch {
    }

    public sealed interface FindKeys {
    }

    /**
     * Keys up to lastKey (relative to the first key, or counted from the end when negative) every keyStep
     * arguments; a limit above 0 keeps 1/limit of what is left (lastKey is then -1).
     */
    public record Range(int lastKey, int keyStep, int limit) implements FindKeys {
    }

    /** The argument at keyNumIdx (relative to the first) counts the keys, which start at firstKey (likewise). */
    public record KeyNum(int keyNumIdx, int firstKey, int keyStep) implements FindKeys {
    }

    public record UnknownFind() implements FindKeys {
    }
}
