package io.simplekv.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One connection's channels, patterns and shard channels, in subscription order (UNSUBSCRIBE with no arguments
 * confirms them in that order). Mutated under the registry's write lock by the owning connection; the counts
 * are volatile because CLIENT LIST on other connections reads them.
 */
public final class Subscriptions {
    final Set<Name> channels = new LinkedHashSet<>();
    final Set<Name> patterns = new LinkedHashSet<>();
    final Set<Name> shardChannels = new LinkedHashSet<>();
    private volatile int channelCount;
    private volatile int patternCount;
    private volatile int shardCount;

    void recount() {
        channelCount = channels.size();
        patternCount = patterns.size();
        shardCount = shardChannels.size();
    }

    public int channels() { return channelCount; }
    public int patterns() { return patternCount; }
    public int shardChannels() { return shardCount; }

    /** What SUBSCRIBE, PSUBSCRIBE and their UNSUBSCRIBEs report: shard channels are counted apart, as in Redis 7.0. */
    public int count() { return channelCount + patternCount; }

    /** Whether RESP2 subscribed mode applies: any subscription of any kind. */
    public boolean any() {
        return channelCount + patternCount + shardCount > 0;
    }
}
