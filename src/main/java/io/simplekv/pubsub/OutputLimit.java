package io.simplekv.pubsub;

/**
 * The pubsub class of client-output-buffer-limit: disconnect when pending output passes {@code hard} bytes, or
 * stays above {@code soft} bytes for {@code softSeconds}. Zero disables a limit, as in Redis.
 */
public record OutputLimit(long hard, long soft, long softSeconds) {
    public static final OutputLimit NONE = new OutputLimit(0, 0, 0);

    /** The triple for one class out of the directive's normalised "class hard soft seconds ..." text. */
    public static OutputLimit of(String directive, String clientClass) {
        String[] w = directive.trim().split("\\s+");
        for (int i = 0; i + 3 < w.length; i += 4) {
            if (w[i].equals(clientClass)) {
                return new OutputLimit(Long.parseLong(w[i + 1]), Long.parseLong(w[i + 2]), Long.parseLong(w[i + 3]));
            }
        }
        return NONE;
    }
}
