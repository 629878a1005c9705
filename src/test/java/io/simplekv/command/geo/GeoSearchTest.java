package io.simplekv.command.geo;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Searches over a zset big enough to be paged, checked against a brute-force filter of every point by the same
 * distance arithmetic (the byte-exact replies for small sets are in the reply corpus, geosearch.cases).
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class GeoSearchTest extends ServerTestBase {
    private static final int POINTS = 3000;

    @Test
    void radiusAndBoxFindExactlyThePointsInsideOnAPagedZset() {
        Random rnd = new Random(7);
        double[][] xy = new double[POINTS][];
        List<String> geoadd = new ArrayList<>(List.of("GEOADD", "pts"));
        for (int i = 0; i < POINTS; i++) {
            double lon = 10 + rnd.nextDouble() * 4, lat = 40 + rnd.nextDouble() * 3;
            geoadd.add(Double.toString(lon));
            geoadd.add(Double.toString(lat));
            geoadd.add("p" + i);
        }
        assertEquals(":" + POINTS + "\r\n", r.call(geoadd.toArray(String[]::new)));
        for (int i = 0; i < POINTS; i++) {
            String pos = r.call("GEOPOS", "pts", "p" + i);
            List<?> p = (List<?>) ((List<?>) RespParser.parse(pos)).get(0);
            xy[i] = new double[] {Double.parseDouble((String) p.get(0)), Double.parseDouble((String) p.get(1))};
        }
        double cx = 12, cy = 41.5;
        TreeSet<String> inCircle = new TreeSet<>(), inBox = new TreeSet<>();
        for (int i = 0; i < POINTS; i++) {
            if (GeoCommands.distance(cx, cy, xy[i][0], xy[i][1]) <= 50_000) inCircle.add("p" + i);
            GeoShape box = new GeoShape(cx, cy, false, 0, 80, 60, 1000);
            if (box.distanceIfWithin(xy[i][0], xy[i][1]) >= 0) inBox.add("p" + i);
        }
        assertTrue(inCircle.size() > 50 && inBox.size() > 50, inCircle.size() + " / " + inBox.size());
        assertEquals(inCircle, members(r.call("GEOSEARCH", "pts", "FROMLONLAT", "12", "41.5", "BYRADIUS", "50", "km")));
        assertEquals(inBox, members(r.call("GEOSEARCH", "pts", "FROMLONLAT", "12", "41.5", "BYBOX", "80", "60", "km")));
        List<?> closest = (List<?>) RespParser.parse(r.call("GEOSEARCH", "pts", "FROMLONLAT", "12", "41.5", "BYRADIUS",
                "50", "km", "COUNT", "5", "WITHDIST"));
        assertEquals(5, closest.size());
        double previous = -1;
        for (Object o : closest) {
            double d = Double.parseDouble((String) ((List<?>) o).get(1));
            assertTrue(d >= previous, "COUNT sorts ascending");
            previous = d;
        }
        assertEquals(":" + inCircle.size() + "\r\n",
                r.call("GEOSEARCHSTORE", "dst", "pts", "FROMLONLAT", "12", "41.5", "BYRADIUS", "50", "km"));
    }

    private static TreeSet<String> members(String reply) {
        TreeSet<String> s = new TreeSet<>();
        for (Object o : (List<?>) RespParser.parse(reply)) s.add((String) o);
        return s;
    }
}
