package io.simplekv.pubsub;

import io.simplekv.text.Glob;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pattern subscriptions, bucketed by each pattern's literal prefix (the bytes before its first glob character).
 * A pattern can only match channels that start with its literal prefix, so a publish probes one bucket per
 * distinct prefix length (a hash lookup on that many leading bytes of the channel) and runs the glob only on
 * the patterns in the buckets it hits. Real pattern sets look like "news.*" or "user:42:*": thousands of patterns
 * share a handful of prefix lengths, so a publish costs a few lookups instead of Redis's scan of every pattern.
 * A trie would bound the probes by the channel's length too, but costs a node per byte and pointer chasing on
 * every publish; the hash buckets are simpler and as good for the shapes above. Patterns that start with a glob
 * character share the empty prefix and are matched on every publish, which is no worse than a plain scan.
 * Not thread-safe: {@link PubSub} guards it with its lock.
 */
final class PatternIndex {
    /** Literal prefix → pattern → its subscribers. */
    private final Map<Name, Map<Name, Set<Subscriber>>> byPrefix = new HashMap<>();
    /** Prefix length → how many patterns have a prefix that long; only these lengths are probed. */
    private final TreeMap<Integer, Integer> lengthCounts = new TreeMap<>();
    private int[] lengths = new int[0];
    private int patterns;

    static int literalPrefix(byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') return i;
        }
        return pattern.length;
    }

    /** Adds a subscriber to a pattern; false if it was already there. */
    boolean add(Name pattern, Subscriber s) {
        int len = literalPrefix(pattern.bytes);
        Map<Name, Set<Subscriber>> bucket = byPrefix.computeIfAbsent(new Name(pattern.bytes, 0, len), k -> new HashMap<>());
        Set<Subscriber> subs = bucket.get(pattern);
        if (subs == null) {
            subs = new LinkedHashSet<>();
            bucket.put(pattern, subs);
            patterns++;
            if (lengthCounts.merge(len, 1, Integer::sum) == 1) refreshLengths();
        }
        return subs.add(s);
    }

    boolean remove(Name pattern, Subscriber s) {
        int len = literalPrefix(pattern.bytes);
        Name prefix = new Name(pattern.bytes, 0, len);
        Map<Name, Set<Subscriber>> bucket = byPrefix.get(prefix);
        if (bucket == null) return false;
        Set<Subscriber> subs = bucket.get(pattern);
        if (subs == null || !subs.remove(s)) return false;
        if (subs.isEmpty()) {
            bucket.remove(pattern);
            if (bucket.isEmpty()) byPrefix.remove(prefix);
            patterns--;
            if (lengthCounts.merge(len, -1, Integer::sum) == 0) {
                lengthCounts.remove(len);
                refreshLengths();
            }
        }
        return true;
    }

    private void refreshLengths() {
        lengths = lengthCounts.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Distinct patterns with at least one subscriber (PUBSUB NUMPAT). */
    int size() {
        return patterns;
    }

    /** A matching pattern and a snapshot of its subscribers, taken under the registry's lock. */
    record Match(byte[] pattern, List<Subscriber> subscribers) {}

    void collect(byte[] channel, List<Match> into) {
        for (int len : lengths) {
            if (len > channel.length) break;
            Map<Name, Set<Subscriber>> bucket = byPrefix.get(new Name(channel, 0, len));
            if (bucket == null) continue;
            for (Map.Entry<Name, Set<Subscriber>> e : bucket.entrySet()) {
                if (Glob.matches(e.getKey().bytes, channel)) into.add(new Match(e.getKey().bytes, new ArrayList<>(e.getValue())));
            }
        }
    }
}
