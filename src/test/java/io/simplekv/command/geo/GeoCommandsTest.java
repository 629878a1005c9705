package io.simplekv.command.geo;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Geo commands; expected replies are redis-server 7.0.15's for the same input. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class GeoCommandsTest extends ServerTestBase {

    @Test
    void addAndReadBack() {
        assertEquals(integer(2), r.call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
        assertEquals(integer(1), r.call("GEOADD", "Sicily", "NX", "CH", "13.361389", "38.115556", "Palermo", "1", "1", "new"));
        assertEquals(bulk("3479099956230698"), r.call("ZSCORE", "Sicily", "Palermo"));
        assertEquals("*2\r\n" + array("13.36138933897018433", "38.11555639549629859") + "*-1\r\n",
                r.call("GEOPOS", "Sicily", "Palermo", "nope"));
        assertEquals(bulk("166.2742"), r.call("GEODIST", "Sicily", "Palermo", "Catania", "km"));
        assertEquals(NIL, r.call("GEODIST", "Sicily", "Palermo", "nope"));
        assertEquals(array("sqc8b49rny0", "sqdtr74hyu0"), r.call("GEOHASH", "Sicily", "Palermo", "Catania"));
    }

    @Test
    void errors() {
        assertEquals(error("ERR invalid longitude,latitude pair 200.000000,100.000000"), r.call("GEOADD", "g", "200", "100", "m"));
        assertEquals(error("ERR value is not a valid float"), r.call("GEOADD", "g", "x", "1", "m"));
        assertEquals(SYNTAX, r.call("GEOADD", "g", "1", "1", "m", "2"));
        assertEquals(SYNTAX, r.call("GEOADD", "g", "NX", "XX", "1", "1", "m"));
        r.call("GEOADD", "g", "1", "1", "a", "2", "2", "b");
        assertEquals(error("ERR unsupported unit provided. please use M, KM, FT, MI"), r.call("GEODIST", "g", "a", "b", "yd"));
        r.call("SET", "s", "x");
        assertEquals(WRONGTYPE, r.call("GEOPOS", "s", "a"));
    }
}
