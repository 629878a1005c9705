package io.simplekv.command.geo;

/**
 * Which cells of the geohash grid a search must scan, as Redis's geohash_helper.c computes them: a cell around
 * the search centre at a step estimated from the radius, and its eight neighbours, minus those the search's
 * bounding box cannot reach. Each cell is a score range [min, max) of the zset.
 */
final class GeoArea {
    static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878, LONG_MIN = -180, LONG_MAX = 180;
    private static final double MERCATOR_MAX = 20037726.37;

    /** A cell: its interleaved bits at a step (bits 0 and step 0 is "no cell", as Redis's GZERO). */
    record Cell(long bits, int step) {
        boolean none() {
            return bits == 0 && step == 0;
        }

        /** The cell's scores: [min, max) of the 52-bit values inside it (scoresOfGeoHashBox). */
        long minScore() {
            return bits << (52 - step * 2);
        }

        long maxScore() {
            return (bits + 1) << (52 - step * 2);
        }
    }

    private GeoArea() {}

    /** The nine cells to scan, in Redis's order: centre, N, S, E, W, NE, NW, SE, SW; gone ones are none(). */
    static Cell[] cells(GeoShape shape) {
        double[] b = shape.bounds();
        double minLon = b[0], minLat = b[1], maxLon = b[2], maxLat = b[3];
        int steps = estimateSteps(shape.radiusMeters(), shape.lat());
        Cell hash = encode(shape.lon(), shape.lat(), steps);
        Cell[] n = neighbours(hash);
        double[] area = decode(hash);
        // Near the edge of the centre cell the estimated step can be too fine to cover the search: one step up.
        double[] north = decode(n[1]), south = decode(n[2]), east = decode(n[3]), west = decode(n[4]);
        boolean coarser = north[3] < maxLat || south[2] > minLat || east[1] < maxLon || west[0] > minLon;
        if (steps > 1 && coarser) {
            steps--;
            hash = encode(shape.lon(), shape.lat(), steps);
            n = neighbours(hash);
            area = decode(hash);
        }
        if (steps >= 2) {
            Cell none = new Cell(0, 0);
            if (area[2] < minLat) n[2] = n[8] = n[7] = none;          // south, south west, south east
            if (area[3] > maxLat) n[1] = n[5] = n[6] = none;          // north, north east, north west
            if (area[0] < minLon) n[4] = n[8] = n[6] = none;          // west, south west, north west
            if (area[1] > maxLon) n[3] = n[7] = n[5] = none;          // east, south east, north east
        }
        n[0] = hash;
        return n;
    }

    /** geohashEstimateStepsByRadius. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        // Wider cells towards the poles, where a degree of longitude is short.
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        return Math.max(1, Math.min(26, step));
    }

    /** geohashEncode over Redis's coordinate ranges at {@code step} bits per axis. */
    static Cell encode(double lon, double lat, int step) {
        double latOffset = (lat - LAT_MIN) / (LAT_MAX - LAT_MIN) * (1L << step);
        double lonOffset = (lon - LONG_MIN) / (LONG_MAX - LONG_MIN) * (1L << step);
        return new Cell(GeoCommands.interleave((long) latOffset, (long) lonOffset), step);
    }

    /** geohashDecode: {lonMin, lonMax, latMin, latMax} of the cell. */
    static double[] decode(Cell c) {
        long lat = GeoCommands.squeeze(c.bits()), lon = GeoCommands.squeeze(c.bits() >>> 1);
        double scale = 1L << c.step();
        return new double[] {
            LONG_MIN + (lon / scale) * (LONG_MAX - LONG_MIN), LONG_MIN + ((lon + 1) / scale) * (LONG_MAX - LONG_MIN),
            LAT_MIN + (lat / scale) * (LAT_MAX - LAT_MIN), LAT_MIN + ((lat + 1) / scale) * (LAT_MAX - LAT_MIN)};
    }

    /** geohashNeighbors: index 0 is left for the centre; then N, S, E, W, NE, NW, SE, SW. */
    static Cell[] neighbours(Cell h) {
        return new Cell[] {h, move(h, 0, 1), move(h, 0, -1), move(h, 1, 0), move(h, -1, 0),
            move(h, 1, 1), move(h, -1, 1), move(h, 1, -1), move(h, -1, -1)};
    }

    private static final long ODD = 0xaaaaaaaaaaaaaaaaL, EVEN = 0x5555555555555555L;

    /** geohash_move_x then geohash_move_y: longitude bits are the odd ones, latitude the even ones. */
    private static Cell move(Cell h, int dx, int dy) {
        int shift = 64 - h.step() * 2;
        long bits = step(h.bits(), ODD, EVEN, shift, dx);
        return new Cell(step(bits, EVEN, ODD, shift, dy), h.step());
    }

    /**
     * One cell along an axis: the axis's bits (under {@code mask}) counted up or down as one number, carrying
     * through the other axis's positions ({@code filler} sets them so a borrow passes through), the rest kept.
     */
    private static long step(long bits, long mask, long filler, int shift, int d) {
        if (d == 0) return bits;
        long axis = bits & mask, other = bits & filler;
        long zz = filler >>> shift;
        if (d > 0) {
            axis = axis + (zz + 1);
        } else {
            axis = axis | zz;
            axis = axis - (zz + 1);
        }
        return (axis & (mask >>> shift)) | other;
    }
}
