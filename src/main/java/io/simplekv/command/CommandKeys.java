package io.simplekv.command;

import io.simplekv.text.RedisNumbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the keys of a request the way Redis 7.0.15's getKeysFromCommandWithSpecs does: from the key specs when
 * they tell every key with reliable flags, else (or when they fail on this request) from the command's getkeys
 * procedure. COMMAND GETKEYS shows what this finds, and the shards of commands with movable keys are locked by it.
 */
final class CommandKeys {
    private final List<KeySpec> specs;
    private final GetKeysProcedure procedure;
    /** Some spec names real keys (not only "not_key" ones) and none has variable flags. */
    private final boolean specsFirst;
    /** Redis's doesCommandHaveKeys. */
    private final boolean any;

    CommandKeys(List<KeySpec> specs, GetKeysProcedure procedure) {
        this.specs = List.copyOf(specs);
        this.procedure = procedure;
        boolean realKeys = specs.stream().anyMatch(s -> !s.has(KeySpec.Flag.NOT_KEY));
        this.specsFirst = realKeys && specs.stream().noneMatch(s -> s.has(KeySpec.Flag.VARIABLE_FLAGS));
        this.any = procedure != null || realKeys;
    }

    /** Whether requests of this command may name keys at all. */
    boolean any() {
        return any;
    }

    /** The keys a request names, in Redis's order; empty when it names none (or is malformed). */
    List<KeyRef> find(byte[][] args) {
        if (specsFirst) {
            List<KeyRef> found = fromSpecs(args);
            if (found != null) return found;
        }
        return procedure != null ? procedure.find(args) : List.of();
    }

    int[] positions(byte[][] args) {
        List<KeyRef> keys = find(args);
        int[] p = new int[keys.size()];
        for (int i = 0; i < p.length; i++) p[i] = keys.get(i).pos();
        return p;
    }

    /** Redis's getKeysUsingKeySpecs without partial results: null when a spec can't tell this request's keys. */
    private List<KeyRef> fromSpecs(byte[][] args) {
        int argc = args.length;
        List<KeyRef> keys = new ArrayList<>();
        for (KeySpec spec : specs) {
            if (spec.has(KeySpec.Flag.NOT_KEY)) continue;
            int first;
            if (spec.begin() instanceof KeySpec.Index index) {
                first = index.pos();
            } else if (spec.begin() instanceof KeySpec.Keyword keyword) {
                first = afterKeyword(keyword, args);
                if (first == 0) continue; // no keyword, no keys from this spec
            } else {
                return null;
            }
            int last;
            int step;
            if (spec.find() instanceof KeySpec.Range range) {
                step = range.keyStep();
                if (range.lastKey() >= 0) last = first + range.lastKey();
                else if (range.limit() == 0) last = argc + range.lastKey();
                else last = first + ((argc - first) / range.limit() + range.lastKey());
            } else if (spec.find() instanceof KeySpec.KeyNum keyNum) {
                step = keyNum.keyStep();
                int countAt = first + keyNum.keyNumIdx();
                if (keyNum.keyNumIdx() >= argc || countAt >= argc) return null;
                long count;
                try {
                    count = RedisNumbers.parseLong(args[countAt]);
                } catch (RedisNumbers.NotAnInteger e) {
                    return null;
                }
                if (count < 0) return null;
                first += keyNum.firstKey();
                last = first + (int) count - 1; // Redis casts the count to int first
            } else {
                return null;
            }
            if (last >= argc || last < first || first >= argc) return null;
            for (int i = first; i <= last; i += step) keys.add(new KeyRef(i, spec.flags()));
            if (spec.has(KeySpec.Flag.INCOMPLETE)) return null;
        }
        return keys;
    }

    /**
     * The index after the keyword, searched from startFrom towards the end (or from the end towards the start when
     * negative), stopping one short of the far end as Redis's loop does; 0 when it is not there.
     */
    private static int afterKeyword(KeySpec.Keyword keyword, byte[][] args) {
        int argc = args.length;
        int start = keyword.startFrom() > 0 ? keyword.startFrom() : argc + keyword.startFrom();
        int end = keyword.startFrom() > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) break;
            if (Args.is(args[i], keyword.keyword())) return i + 1;
        }
        return 0;
    }
}
