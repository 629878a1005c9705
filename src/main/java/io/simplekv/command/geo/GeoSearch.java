package io.simplekv.command.geo;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.command.sorted_set.ZRangeCommands;
import io.simplekv.command.sorted_set.ZSetCommands;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static io.simplekv.command.CommandSpec.command;

/**
 * GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO forms, as Redis 7.0's georadiusGeneric:
 * the same argument rules and errors, the same nine geohash cells scanned as score ranges, the same distance
 * arithmetic, and results sorted by distance when asked (COUNT implies ASC unless ANY).
 */
public final class GeoSearch {
    private GeoSearch() {}

    private enum Form { RADIUS_COORDS, RADIUS_MEMBER, SEARCH, SEARCH_STORE }

    /** A point found inside the shape. */
    private record Found(byte[] member, double score, double lon, double lat, double distance) {}

    public static void register(CommandTable.Builder t) {
        t.add(command("georadius", (c, a, o) -> search(c, a, o, Form.RADIUS_COORDS, true)));
        t.add(command("georadius_ro", (c, a, o) -> search(c, a, o, Form.RADIUS_COORDS, false)));
        t.add(command("georadiusbymember", (c, a, o) -> search(c, a, o, Form.RADIUS_MEMBER, true)));
        t.add(command("georadiusbymember_ro", (c, a, o) -> search(c, a, o, Form.RADIUS_MEMBER, false)));
        t.add(command("geosearch", (c, a, o) -> search(c, a, o, Form.SEARCH, false)));
        t.add(command("geosearchstore", (c, a, o) -> search(c, a, o, Form.SEARCH_STORE, false)));
    }

    private static void search(Session c, byte[][] a, ReplySink out, Form form, boolean storable) {
        boolean searchForm = form == Form.SEARCH || form == Form.SEARCH_STORE;
        int src = form == Form.SEARCH_STORE ? 2 : 1;
        ZSetTable z = ZSetCommands.read(c, a[src]);
        byte[] store = form == Form.SEARCH_STORE ? a[1] : null;
        boolean storeDist = false;
        double lon = 0, lat = 0, radius = 0, width = 0, height = 0, conversion = 1;
        boolean circle = true;
        int base;
        if (form == Form.RADIUS_COORDS) {
            base = 6;
            double[] xy = lonLat(a, 2);
            lon = xy[0];
            lat = xy[1];
            radius = distanceArg(a[4], "need numeric radius", "radius cannot be negative");
            conversion = unit(a[5]);
        } else if (form == Form.RADIUS_MEMBER) {
            base = 5;
            if (z != null) {
                double[] xy = memberPoint(z, a[2]);
                lon = xy[0];
                lat = xy[1];
                radius = distanceArg(a[3], "need numeric radius", "radius cannot be negative");
                conversion = unit(a[4]);
            }
        } else {
            base = form == Form.SEARCH_STORE ? 3 : 2;
        }
        boolean withDist = false, withHash = false, withCoord = false, any = false;
        boolean fromMember = false, fromLonLat = false, byRadius = false, byBox = false;
        int sort = 0; // 0 none, 1 asc, -1 desc
        long count = 0;
        int remaining = a.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = a[base + i];
            if (Args.is(arg, "WITHDIST")) {
                withDist = true;
            } else if (Args.is(arg, "WITHHASH")) {
                withHash = true;
            } else if (Args.is(arg, "WITHCOORD")) {
                withCoord = true;
            } else if (Args.is(arg, "ANY")) {
                any = true;
            } else if (Args.is(arg, "ASC")) {
                sort = 1;
            } else if (Args.is(arg, "DESC")) {
                sort = -1;
            } else if (Args.is(arg, "COUNT") && i + 1 < remaining) {
                count = Args.toLong(a[base + i + 1]);
                if (count <= 0) throw RedisError.err("COUNT must be > 0");
                i++;
            } else if ((Args.is(arg, "STORE") || Args.is(arg, "STOREDIST")) && i + 1 < remaining && storable && !searchForm) {
                store = a[base + i + 1];
                storeDist = Args.is(arg, "STOREDIST");
                i++;
            } else if (Args.is(arg, "STOREDIST") && form == Form.SEARCH_STORE) {
                storeDist = true;
            } else if (Args.is(arg, "FROMMEMBER") && i + 1 < remaining && searchForm && !fromLonLat) {
                if (z != null) {
                    double[] xy = memberPoint(z, a[base + i + 1]);
                    lon = xy[0];
                    lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Args.is(arg, "FROMLONLAT") && i + 2 < remaining && searchForm && !fromMember) {
                double[] xy = lonLat(a, base + i + 1);
                lon = xy[0];
                lat = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (Args.is(arg, "BYRADIUS") && i + 2 < remaining && searchForm && !byBox) {
                radius = distanceArg(a[base + i + 1], "need numeric radius", "radius cannot be negative");
                conversion = unit(a[base + i + 2]);
                circle = true;
                byRadius = true;
                i += 2;
            } else if (Args.is(arg, "BYBOX") && i + 3 < remaining && searchForm && !byRadius) {
                width = number(a[base + i + 1], "need numeric width");
                height = number(a[base + i + 2], "need numeric height");
                if (height < 0 || width < 0) throw RedisError.err("height or width cannot be negative");
                conversion = unit(a[base + i + 3]);
                circle = false;
                byBox = true;
                i += 3;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (store != null && (withDist || withHash || withCoord)) {
            throw RedisError.err((form == Form.SEARCH_STORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String name = new String(a[0], java.nio.charset.StandardCharsets.ISO_8859_1);
        if (searchForm && !(fromMember || fromLonLat)) {
            throw RedisError.err("exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (searchForm && !(byRadius || byBox)) {
            throw RedisError.err("exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) throw RedisError.err("the ANY argument requires COUNT argument");
        if (z == null) {
            if (store != null) ZRangeCommands.store(c, store, List.of(), "", out);
            else out.array(0);
            return;
        }
        if (count != 0 && sort == 0 && !any) sort = 1; // the closest N need an order
        GeoShape shape = new GeoShape(lon, lat, circle, radius, width, height, conversion);
        List<Found> found = scan(z, shape, any ? count : 0);
        if (found.isEmpty() && store == null) {
            out.array(0);
            return;
        }
        if (sort != 0) {
            Comparator<Found> byDistance = Comparator.comparingDouble(Found::distance);
            found.sort(sort > 0 ? byDistance : byDistance.reversed());
        }
        int returned = (int) (count == 0 ? found.size() : Math.min(count, found.size()));
        if (store != null) {
            List<ZSetTable.Entry> entries = new ArrayList<>(returned);
            for (int i = 0; i < returned; i++) {
                Found f = found.get(i);
                entries.add(new ZSetTable.Entry(f.member(), storeDist ? f.distance() / conversion : f.score()));
            }
            ZRangeCommands.store(c, store, entries, searchForm ? "geosearchstore" : "georadiusstore", out);
            return;
        }
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        out.array(returned);
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            if (options > 0) out.array(options + 1);
            out.bulk(f.member());
            if (withDist) out.bulk(GeoCommands.fixed4(f.distance() / conversion));
            if (withHash) out.integer((long) f.score());
            if (withCoord) {
                out.array(2);
                out.doubleValue(f.lon(), GeoCommands.human(f.lon()));
                out.doubleValue(f.lat(), GeoCommands.human(f.lat()));
            }
        }
    }

    /** membersOfAllNeighbors: each distinct cell's score range, points inside the shape, stopping at limit. */
    private static List<Found> scan(ZSetTable z, GeoShape shape, long limit) {
        List<Found> found = new ArrayList<>();
        GeoArea.Cell[] cells = GeoArea.cells(shape);
        int lastProcessed = 0;
        for (int i = 0; i < cells.length; i++) {
            GeoArea.Cell cell = cells[i];
            if (cell.none()) continue;
            if (lastProcessed != 0 && cell.equals(cells[lastProcessed])) continue;
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) break;
            inRange(z, cell.minScore(), cell.maxScore(), shape, found, limit);
            lastProcessed = i;
        }
        return found;
    }

    /** geoGetPointsInRange: members with min <= score < max, in score order. */
    private static void inRange(ZSetTable z, double min, double max, GeoShape shape, List<Found> found, long limit) {
        long rank = z.countBelow(min, false);
        while (true) {
            List<ZSetTable.Entry> batch = z.range(rank, 128, false);
            if (batch.isEmpty()) return;
            for (ZSetTable.Entry e : batch) {
                if (e.score() >= max) return;
                double[] xy = GeoCommands.decode((long) e.score());
                double d = shape.distanceIfWithin(xy[0], xy[1]);
                if (d >= 0) found.add(new Found(e.member(), e.score(), xy[0], xy[1], d));
                if (!found.isEmpty() && limit != 0 && found.size() >= limit) return;
            }
            rank += batch.size();
        }
    }

    private static double[] lonLat(byte[][] a, int at) {
        double x = Args.toDouble(a[at]), y = Args.toDouble(a[at + 1]);
        if (x < GeoArea.LONG_MIN || x > GeoArea.LONG_MAX || y < GeoArea.LAT_MIN || y > GeoArea.LAT_MAX) {
            throw RedisError.err(String.format(Locale.ROOT, "invalid longitude,latitude pair %f,%f", x, y));
        }
        return new double[] {x, y};
    }

    private static double[] memberPoint(ZSetTable z, byte[] member) {
        double score = z.score(member);
        if (Double.isNaN(score)) throw RedisError.err("could not decode requested zset member");
        return GeoCommands.decode((long) score);
    }

    private static double distanceArg(byte[] arg, String notNumber, String negative) {
        double d = number(arg, notNumber);
        if (d < 0) throw RedisError.err(negative);
        return d;
    }

    private static double number(byte[] arg, String notNumber) {
        double d = io.simplekv.text.RedisNumbers.parseDouble(arg);
        if (Double.isNaN(d)) throw RedisError.err(notNumber);
        return d;
    }

    /** extractUnitOrReply: meters per unit. */
    static double unit(byte[] u) {
        if (Args.is(u, "m")) return 1;
        if (Args.is(u, "km")) return 1000;
        if (Args.is(u, "ft")) return 0.3048;
        if (Args.is(u, "mi")) return 1609.34;
        throw RedisError.err("unsupported unit provided. please use M, KM, FT, MI");
    }
}
