package io.simplekv.tls;

import io.simplekv.config.ServerConfig;

/**
 * The directives that shape the server's TLS context, read from one config snapshot. Two snapshots whose settings
 * are equal need no new context; an empty string is Redis's "not set".
 */
public record TlsSettings(String certFile, String keyFile, String keyFilePass, String caCertFile, String caCertDir,
                          String authClients, String protocols, String ciphers, String ciphersuites,
                          boolean preferServerCiphers, boolean sessionCaching, long sessionCacheSize,
                          long sessionCacheTimeout, boolean peersNeedCa) {

    public static TlsSettings of(ServerConfig c) {
        String auth = c.get("tls-auth-clients");
        // Redis wants a CA whenever it verifies peers: clients (yes or optional), or its replication and cluster links.
        boolean peersNeedCa = !auth.equals("no") || c.get("tls-replication").equals("yes") || c.get("tls-cluster").equals("yes");
        return new TlsSettings(c.get("tls-cert-file"), c.get("tls-key-file"), c.get("tls-key-file-pass"),
                c.get("tls-ca-cert-file"), c.get("tls-ca-cert-dir"), auth, c.get("tls-protocols"),
                c.get("tls-ciphers"), c.get("tls-ciphersuites"), c.get("tls-prefer-server-ciphers").equals("yes"),
                c.get("tls-session-caching").equals("yes"), Long.parseLong(c.get("tls-session-cache-size")),
                Long.parseLong(c.get("tls-session-cache-timeout")), peersNeedCa);
    }
}
