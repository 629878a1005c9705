package io.simplekv.command.geo;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.command.sorted_set.ZSetCommands;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

import static io.simplekv.command.CommandSpec.command;

/**
 * GEOADD, GEOPOS, GEODIST, GEOHASH over sorted sets, as Redis's geo.c: a point is stored as the zset score of its
 * 52-bit interleaved geohash (latitude limited to ±85.05112878, as Web Mercator is), so GEOADD is a ZADD.
 * The radius and box searches are {@link GeoSearch}.
 */
public final class GeoCommands {
    private GeoCommands() {}

    private static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878, LONG_MIN = -180, LONG_MAX = 180;
    private static final int STEP = 26;
    private static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

    public static void register(CommandTable.Builder t) {
        t.add(command("geoadd", GeoCommands::geoadd));
        t.add(command("geopos", GeoCommands::geopos));
        t.add(command("geodist", GeoCommands::geodist));
        t.add(command("geohash", GeoCommands::geohash));
    }

    /** GEOADD key [NX|XX] [CH] lon lat member ...: turned into ZADD key [NX|XX] [CH] score member ... */
    private static void geoadd(Session c, byte[][] a, ReplySink out) {
        boolean nx = false, xx = false;
        int at = 2;
        for (; at < a.length; at++) {
            if (Args.is(a[at], "NX")) nx = true;
            else if (Args.is(a[at], "XX")) xx = true;
            else if (!Args.is(a[at], "CH")) break;
        }
        if ((a.length - at) % 3 != 0 || (nx && xx)) throw RedisError.SYNTAX;
        int elements = (a.length - at) / 3;
        byte[][] zadd = new byte[at + 2 * elements][];
        zadd[0] = Args.bytes("zadd");
        System.arraycopy(a, 1, zadd, 1, at - 1);
        for (int i = 0; i < elements; i++) {
            double lon = Args.toDouble(a[at + 3 * i]), lat = Args.toDouble(a[at + 3 * i + 1]);
            if (lon < LONG_MIN || lon > LONG_MAX || lat < LAT_MIN || lat > LAT_MAX) {
                throw RedisError.err(String.format(Locale.ROOT, "invalid longitude,latitude pair %f,%f", lon, lat));
            }
            zadd[at + 2 * i] = Args.bytes(Long.toString(encode(lon, lat, LAT_MIN, LAT_MAX)));
            zadd[at + 2 * i + 1] = a[at + 3 * i + 2];
        }
        ZSetCommands.zadd(c, zadd, out);
    }

    /** How GEOPOS and GEOHASH answer for one member: its reply for a point, or for a member that is not there. */
    private interface PointReply {
        void point(ReplySink out, double lon, double lat);
    }

    /** GEOPOS and GEOHASH: an array with one entry per member named after the key. */
    private static void perMember(Session c, byte[][] a, ReplySink out, Runnable missing, PointReply found) {
        ZSetTable z = ZSetCommands.read(c, a[1]);
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            double score = z == null ? Double.NaN : z.score(a[i]);
            if (Double.isNaN(score)) {
                missing.run();
            } else {
                double[] xy = decode((long) score);
                found.point(out, xy[0], xy[1]);
            }
        }
    }

    private static void geopos(Session c, byte[][] a, ReplySink out) {
        perMember(c, a, out, out::nullArray, (o, lon, lat) -> {
            o.array(2);
            o.doubleValue(lon, human(lon));
            o.doubleValue(lat, human(lat));
        });
    }

    private static void geodist(Session c, byte[][] a, ReplySink out) {
        double toMeters = 1;
        if (a.length == 5) {
            if (Args.is(a[4], "m")) toMeters = 1;
            else if (Args.is(a[4], "km")) toMeters = 1000;
            else if (Args.is(a[4], "ft")) toMeters = 0.3048;
            else if (Args.is(a[4], "mi")) toMeters = 1609.34;
            else throw RedisError.err("unsupported unit provided. please use M, KM, FT, MI");
        } else if (a.length > 5) {
            throw RedisError.SYNTAX;
        }
        ZSetTable z = ZSetCommands.read(c, a[1]);
        double s1 = z == null ? Double.NaN : z.score(a[2]), s2 = z == null ? Double.NaN : z.score(a[3]);
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            out.nullBulk();
            return;
        }
        double[] p = decode((long) s1), q = decode((long) s2);
        out.bulk(fixed4(distance(p[0], p[1], q[0], q[1]) / toMeters));
    }

    /** fixedpoint_d2string with 4 digits: the value times 10^4 rounded half-even (llrint), then the point put back. */
    static String fixed4(double d) {
        long fixed = (long) Math.rint(d * 10000.0);
        return BigDecimal.valueOf(fixed, 4).toPlainString();
    }

    private static void geohash(Session c, byte[][] a, ReplySink out) {
        perMember(c, a, out, out::nullBulk, (o, lon, lat) -> {
            long bits = encode(lon, lat, -90, 90); // the standard geohash ranges, for a standard string
            byte[] text = new byte[11];
            for (int j = 0; j < 11; j++) {
                int idx = j == 10 ? 0 : (int) ((bits >>> (52 - (j + 1) * 5)) & 0x1f);
                text[j] = (byte) ALPHABET.charAt(idx);
            }
            o.bulk(text);
        });
    }

    /** geohashEncode at 26 steps: latitude bits at even positions, longitude at odd. */
    static long encode(double lon, double lat, double latMin, double latMax) {
        double latOffset = (lat - latMin) / (latMax - latMin) * (1L << STEP);
        double lonOffset = (lon - LONG_MIN) / (LONG_MAX - LONG_MIN) * (1L << STEP);
        return interleave((long) latOffset, (long) lonOffset);
    }

    /** interleave64: latitude's 32 bits at the even positions, longitude's at the odd ones. */
    static long interleave(long lat, long lon) {
        return spread(lat & 0xffffffffL) | (spread(lon & 0xffffffffL) << 1);
    }

    /** The centre of the cell a score names, clamped to the valid ranges (geohashDecodeAreaToLongLat). */
    static double[] decode(long bits) {
        long lat = squeeze(bits), lon = squeeze(bits >>> 1);
        double scale = 1L << STEP;
        double latLo = LAT_MIN + (lat / scale) * (LAT_MAX - LAT_MIN), latHi = LAT_MIN + ((lat + 1) / scale) * (LAT_MAX - LAT_MIN);
        double lonLo = LONG_MIN + (lon / scale) * (LONG_MAX - LONG_MIN), lonHi = LONG_MIN + ((lon + 1) / scale) * (LONG_MAX - LONG_MIN);
        double x = Math.max(LONG_MIN, Math.min(LONG_MAX, (lonLo + lonHi) / 2));
        double y = Math.max(LAT_MIN, Math.min(LAT_MAX, (latLo + latHi) / 2));
        return new double[] {x, y};
    }

    /** Haversine distance in meters, as geohashGetDistance. */
    static double distance(double lon1, double lat1, double lon2, double lat2) {
        double dr = Math.PI / 180.0;
        double v = Math.sin((lon2 * dr - lon1 * dr) / 2);
        if (v == 0.0) return EARTH_RADIUS_IN_METERS * Math.abs(lat2 * dr - lat1 * dr);
        double u = Math.sin((lat2 * dr - lat1 * dr) / 2);
        double h = u * u + Math.cos(lat1 * dr) * Math.cos(lat2 * dr) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(h));
    }

    /** 32 bits to the even positions of 64. */
    private static long spread(long x) {
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        return (x | (x << 1)) & 0x5555555555555555L;
    }

    /** The even-position bits back into 32. */
    static long squeeze(long x) {
        x &= 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        return (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
    }

    /** addReplyHumanLongDouble: %.17Lf with trailing zeros (and a bare point) dropped. */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }
}
