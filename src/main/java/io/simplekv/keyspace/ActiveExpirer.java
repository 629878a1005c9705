package io.simplekv.keyspace;

/**
 * Redis's active expiry cycle: sample keys that carry a TTL, delete the due ones, and keep going while more
 * than a quarter of a sample was due, within a time budget, so memory is reclaimed for keys nobody reads.
 */
public final class ActiveExpirer implements Runnable {
    private static final int SAMPLE = 20;
    private final Keyspace keyspace;
    private final long budgetNanos;
    private volatile boolean enabled = true;

    public ActiveExpirer(Keyspace keyspace, long budgetMillis) {
        this.keyspace = keyspace;
        this.budgetNanos = budgetMillis * 1_000_000;
    }

    /** DEBUG SET-ACTIVE-EXPIRE turns it off in Redis's own tests. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void run() {
        if (!enabled) return;
        long deadline = System.nanoTime() + budgetNanos;
        for (int i = 0; i < keyspace.databases(); i++) {
            Database db = keyspace.db(i);
            while (db.volatileKeys() > 0 && System.nanoTime() < deadline) {
                int due = 0;
                int sampled = (int) Math.min(SAMPLE, db.volatileKeys());
                long now = Database.now();
                for (int s = 0; s < sampled; s++) {
                    byte[] key = db.randomVolatileKey();
                    if (key == null) break;
                    // One unit per key: the deletion reaches storage whole, and no other key waits on it.
                    try (UnitOfWork unit = keyspace.unit().key(key).open()) {
                        if (db.expireIfDue(key, now)) due++;
                    }
                }
                if (due * 4 <= sampled) break;
            }
        }
    }
}
