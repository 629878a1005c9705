package io.simplekv.command.connection;

import io.simplekv.command.Args;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.tracking.TrackingState;

import java.util.ArrayList;
import java.util.List;

/** CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: a client's side of client-side caching. */
final class TrackingCommands {
    private TrackingCommands() {}

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP], parsed as Redis does. */
    static void tracking(Session c, byte[][] a, ReplySink out) {
        long redirect = 0;
        boolean bcast = false, optin = false, optout = false, noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "REDIRECT") && more) {
                j++;
                if (redirect != 0) throw RedisError.err("A client can only redirect to a single other client");
                redirect = Args.toLong(a[j]);
                if (c.server().clients().get(redirect) == null) {
                    throw RedisError.err("The client ID you want redirect to does not exist");
                }
            } else if (Args.is(a[j], "BCAST")) {
                bcast = true;
            } else if (Args.is(a[j], "OPTIN")) {
                optin = true;
            } else if (Args.is(a[j], "OPTOUT")) {
                optout = true;
            } else if (Args.is(a[j], "NOLOOP")) {
                noloop = true;
            } else if (Args.is(a[j], "PREFIX") && more) {
                prefixes.add(a[++j]);
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (Args.is(a[2], "ON")) {
            c.server().tracking().enable(c, redirect, prefixes, bcast, optin, optout, noloop);
        } else if (Args.is(a[2], "OFF")) {
            c.server().tracking().disable(c);
        } else {
            throw RedisError.SYNTAX;
        }
        out.ok();
    }

    /** CLIENT CACHING YES|NO: whether the next command's reads are tracked, in OPTIN or OPTOUT mode. */
    static void caching(Session c, byte[][] a, ReplySink out) {
        TrackingState s = c.tracking();
        if (!s.on()) throw RedisError.err(s.cachingRefusal(true));
        boolean yes = Args.is(a[2], "YES");
        if (!yes && !Args.is(a[2], "NO")) throw RedisError.SYNTAX;
        String refusal = s.cachingRefusal(yes);
        if (refusal != null) throw RedisError.err(refusal);
        s.caching(true);
        out.ok();
    }

    static void getredir(Session c, byte[][] a, ReplySink out) {
        out.integer(c.tracking().redirection());
    }

    static void trackinginfo(Session c, byte[][] a, ReplySink out) {
        TrackingState s = c.tracking();
        out.map(3);
        out.bulk("flags");
        out.bulkSet(s.flags());
        out.bulk("redirect");
        out.integer(s.redirection());
        out.bulk("prefixes");
        List<byte[]> prefixes = s.prefixes();
        out.array(prefixes.size());
        for (byte[] p : prefixes) out.bulk(p);
    }
}
