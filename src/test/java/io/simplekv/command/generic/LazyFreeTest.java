package io.simplekv.command.generic;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * INFO lazyfreed_objects as Redis counts it: one per value that UNLINK (or DEL under lazyfree-lazy-user-del) leaves
 * to the background because freeing it takes more than 64 steps (lazyfreeGetFreeEffort); a small value, or a
 * plain DEL, is freed at once and not counted.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class LazyFreeTest extends ServerTestBase {

    private long lazyfreed() {
        String info = r.call("INFO", "stats");
        int at = info.indexOf("lazyfreed_objects:") + "lazyfreed_objects:".length();
        return Long.parseLong(info.substring(at, info.indexOf("\r\n", at)));
    }

    private void bigSet(String key) {
        String[] args = new String[202];
        args[0] = "SADD";
        args[1] = key;
        for (int i = 0; i < 200; i++) args[i + 2] = "member-" + i;
        assertEquals(integer(200), r.call(args));
    }

    @Test
    void unlinkCountsOnlyValuesRedisWouldFreeInTheBackground() {
        bigSet("big");
        assertEquals(integer(1), r.call("UNLINK", "big"));
        assertEquals(1, lazyfreed());
        bigSet("deleted");
        assertEquals(integer(1), r.call("DEL", "deleted"));
        assertEquals(1, lazyfreed(), "DEL frees at once");
        r.call("XADD", "s", "*", "a", "b");
        r.call("XGROUP", "CREATE", "s", "g", "$");
        r.call("XGROUP", "DESTROY", "s", "g");
        r.call("SADD", "small", "a", "b");
        assertEquals(integer(2), r.call("UNLINK", "s", "small"));
        assertEquals(1, lazyfreed(), "a one-node stream and a small set are freed at once");
        assertEquals(OK, r.call("CONFIG", "SET", "lazyfree-lazy-user-del", "yes"));
        bigSet("lazydel");
        assertEquals(integer(1), r.call("DEL", "lazydel"));
        assertEquals(2, lazyfreed(), "DEL under lazyfree-lazy-user-del is UNLINK");
    }
}
