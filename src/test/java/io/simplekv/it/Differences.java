package io.simplekv.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/** Set comparisons that name what is missing and what is extra, not two walls of a thousand members. */
final class Differences {
    private static final int SHOWN = 10;

    private Differences() {}

    static <T> void assertSameElements(Collection<T> expected, Collection<T> actual, String what) {
        Set<T> want = new HashSet<>(expected);
        Set<T> got = new HashSet<>(actual);
        if (want.equals(got) && got.size() == actual.size()) return;
        List<T> missing = new ArrayList<>(want);
        missing.removeAll(got);
        List<T> extra = new ArrayList<>(got);
        extra.removeAll(want);
        fail(what + ": " + missing.size() + " missing " + head(missing) + ", " + extra.size() + " unexpected "
                + head(extra) + ", " + (actual.size() - got.size()) + " duplicated");
    }

    /** The first few, each cut to 60 characters (some test elements are padded to hundreds). */
    private static <T> List<String> head(List<T> items) {
        List<String> shown = new ArrayList<>();
        for (T item : items.subList(0, Math.min(SHOWN, items.size()))) {
            String s = String.valueOf(item);
            shown.add(s.length() <= 60 ? s : s.substring(0, 57) + "...");
        }
        return shown;
    }
}
