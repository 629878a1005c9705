package io.simplekv.tls;

import io.simplekv.config.ConfigException;
import io.simplekv.config.ConfigFileParser;
import io.simplekv.config.Directive;
import io.simplekv.config.Directives;
import io.simplekv.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tls-* directives: Redis 7.0's names and defaults, and how a config file and CONFIG SET values are checked. */
class TlsDirectivesTest {
    @TempDir
    Path dir;

    /** What redis-server 7.0.15 answers to CONFIG GET tls-* with no TLS configured. */
    private static final Map<String, String> REDIS_DEFAULTS = new TreeMap<>(Map.ofEntries(
            Map.entry("tls-port", "0"), Map.entry("tls-cert-file", ""), Map.entry("tls-key-file", ""),
            Map.entry("tls-key-file-pass", ""), Map.entry("tls-client-cert-file", ""),
            Map.entry("tls-client-key-file", ""), Map.entry("tls-client-key-file-pass", ""),
            Map.entry("tls-dh-params-file", ""), Map.entry("tls-ca-cert-file", ""), Map.entry("tls-ca-cert-dir", ""),
            Map.entry("tls-auth-clients", "yes"), Map.entry("tls-protocols", ""), Map.entry("tls-ciphers", ""),
            Map.entry("tls-ciphersuites", ""), Map.entry("tls-prefer-server-ciphers", "no"),
            Map.entry("tls-session-caching", "yes"), Map.entry("tls-session-cache-size", "20480"),
            Map.entry("tls-session-cache-timeout", "300"), Map.entry("tls-replication", "no"),
            Map.entry("tls-cluster", "no")));

    @Test
    void namesAndDefaultsAreRedis70s() {
        Map<String, String> ours = new TreeMap<>();
        for (Map.Entry<String, String> e : ServerConfig.defaults().values().entrySet()) {
            if (e.getKey().startsWith("tls-")) ours.put(e.getKey(), e.getValue());
        }
        assertEquals(REDIS_DEFAULTS, ours);
        for (String name : REDIS_DEFAULTS.keySet()) {
            assertTrue(Directives.find(name).mutable(), name + " is MODIFIABLE_CONFIG in Redis");
        }
        assertEquals(0, ServerConfig.defaults().tlsPort);
    }

    @Test
    void configFileAndValueChecks() throws Exception {
        Path conf = dir.resolve("tls.conf");
        Files.writeString(conf, """
                port 0
                tls-port 6390
                tls-cert-file /etc/certs/server.crt
                tls-key-file /etc/certs/server.key
                tls-ca-cert-file /etc/certs/ca.crt
                tls-auth-clients optional
                tls-protocols "TLSv1.2 TLSv1.3"
                tls-replication yes
                """);
        ServerConfig c = ConfigFileParser.apply(ServerConfig.defaults(), conf);
        assertEquals(0, c.port);
        assertEquals(6390, c.tlsPort);
        assertEquals("optional", c.get("tls-auth-clients"));
        assertEquals("TLSv1.2 TLSv1.3", c.get("tls-protocols"));
        TlsSettings s = TlsSettings.of(c);
        assertEquals("/etc/certs/server.crt", s.certFile());
        assertEquals("/etc/certs/ca.crt", s.caCertFile());
        assertTrue(s.peersNeedCa());

        ServerConfig d = ServerConfig.defaults();
        assertEquals("argument(s) must be one of the following: no, yes, optional",
                assertThrows(ConfigException.class, () -> d.with("tls-auth-clients", List.of("maybe"))).getMessage());
        assertEquals("argument must be between 0 and 65535 inclusive",
                assertThrows(ConfigException.class, () -> d.with("tls-port", List.of("70000"))).getMessage());
        assertEquals("OPTIONAL", d.with("TLS-AUTH-CLIENTS", List.of("OPTIONAL")).get("tls-auth-clients").toUpperCase());
        assertEquals(Directive.Kind.STRING, Directives.find("tls-cert-file").kind());
    }

    @Test
    void protocolsAndCiphersParseAsRedisReadsThem() {
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), List.of(ServerTlsContexts.protocols("")));
        assertEquals(List.of("TLSv1.3"), List.of(ServerTlsContexts.protocols("tlsv1.3")));
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), List.of(ServerTlsContexts.protocols("TLSv1.2 TLSv1.3")));
        assertEquals("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
                assertThrows(TlsSetupException.class, () -> ServerTlsContexts.protocols("SSLv3")).getMessage());
        List<String> defaults = List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertEquals(List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"),
                ServerTlsContexts.ciphers("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256", defaults));
        assertEquals(List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_256_GCM_SHA384"),
                ServerTlsContexts.ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256", "", defaults),
                "tls-ciphers alone keeps TLSv1.3's default suites");
        assertEquals(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"),
                ServerTlsContexts.ciphers("", "TLS_CHACHA20_POLY1305_SHA256", defaults));
    }
}
