package io.simplekv.acl;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Password hashing as Redis stores them: SHA-256 in lower-case hex; and ACL GENPASS's random hex. */
public final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    public static String hash(byte[] cleartext) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cleartext));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Redis's ACLCheckPasswordHash: 64 lower-case hex characters. */
    static boolean isHash(String s) {
        if (s.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** Compares in time independent of where they differ, so timing tells nothing of a guess. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** ACL GENPASS: {@code bits} random bits as (bits+3)/4 hex characters. */
    public static String generate(int bits) {
        int chars = (bits + 3) / 4;
        byte[] random = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random).substring(0, chars);
    }
}
