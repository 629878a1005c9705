package io.simplekv.persistence;

import java.util.ArrayList;
import java.util.List;

/** The {@code save} directive's points, "seconds changes" pairs, as Redis's saveparams. */
public record SavePoints(List<Point> points) {

    public record Point(long seconds, long changes) {}

    /** Parses the directive's value ("3600 1 300 100", or "" for none); the config layer has checked it. */
    public static SavePoints parse(String value) {
        String[] w = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
        List<Point> points = new ArrayList<>();
        for (int i = 0; i + 1 < w.length; i += 2) points.add(new Point(Long.parseLong(w[i]), Long.parseLong(w[i + 1])));
        return new SavePoints(List.copyOf(points));
    }

    public boolean any() {
        return !points.isEmpty();
    }

    /**
     * The first point reached, as serverCron checks them: at least its changes since the last save, more than its
     * seconds since then. Null when none is.
     */
    public Point due(long changes, long secondsSinceSave) {
        for (Point p : points) if (changes >= p.changes && secondsSinceSave > p.seconds) return p;
        return null;
    }
}
