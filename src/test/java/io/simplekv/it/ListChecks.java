package io.simplekv.it;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads of a list after a kill -9 that must all agree: a torn paged list disagrees with its own head record. */
final class ListChecks {
    private ListChecks() {}

    /** The whole list, checked against LLEN and against LINDEX and LRANGE reads that walk its pages from either end. */
    static List<String> readWhole(Jedis j, String key, String when) {
        try {
            return readChecked(j, key, when);
        } catch (JedisDataException e) {
            return fail(when + "reading " + key + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readChecked(Jedis j, String key, String when) {
        List<String> items = j.lrange(key, 0, -1);
        assertEquals(items.size(), j.llen(key), when + "LLEN of " + key + " against LRANGE");
        for (int i = 0; i < items.size(); i += 37) {
            assertEquals(items.get(i), j.lindex(key, i), when + "LINDEX " + key + " " + i);
            int fromEnd = i - items.size();
            assertEquals(items.get(i), j.lindex(key, fromEnd), when + "LINDEX " + key + " " + fromEnd);
        }
        if (items.size() > 100) {
            assertEquals(items.subList(50, 100), j.lrange(key, 50, 99), when + "LRANGE " + key + " 50 99");
        }
        return items;
    }
}
