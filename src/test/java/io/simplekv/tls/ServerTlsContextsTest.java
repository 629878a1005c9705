package io.simplekv.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.simplekv.config.ServerConfig;
import io.simplekv.support.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Building the server's SslContext from the tls-* directives, on both providers, checked by real handshakes in
 * memory: tls-auth-clients yes refuses a client without a certificate, optional and no accept it, and a client
 * certificate from another CA is refused. The failures give Redis's log lines.
 */
class ServerTlsContextsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static TestCerts stranger;

    @BeforeAll
    static void makeCerts() {
        certs = TestCerts.create(dir.resolve("ours"));
        stranger = TestCerts.create(dir.resolve("theirs"));
    }

    private static ServerConfig config(Map<String, String> overrides) {
        ServerConfig c = ServerConfig.defaults()
                .with("tls-cert-file", List.of(certs.serverCert.toString()))
                .with("tls-key-file", List.of(certs.serverKey.toString()))
                .with("tls-ca-cert-file", List.of(certs.caCert.toString()));
        for (Map.Entry<String, String> e : overrides.entrySet()) c = c.with(e.getKey(), List.of(e.getValue()));
        return c;
    }

    private static SslContext build(SslProvider provider, Map<String, String> overrides) {
        return ServerTlsContexts.build(TlsSettings.of(config(overrides)), provider);
    }

    private static SSLEngine client(TestCerts who, boolean withCertificate) {
        SSLEngine e = who.clientContext(withCertificate).createSSLEngine("localhost", 6379);
        e.setUseClientMode(true);
        return e;
    }

    private static SSLEngine server(SslContext ctx) {
        return ctx.newEngine(ByteBufAllocator.DEFAULT);
    }

    @Test
    void openSslIsTheDefaultHere() {
        // netty-tcnative ships linux-x86_64 BoringSSL; if it stopped loading we'd silently serve on the JDK.
        assertTrue(OpenSsl.isAvailable(), () -> "OpenSSL unavailable: " + OpenSsl.unavailabilityCause());
        assertEquals(SslProvider.OPENSSL, ServerTlsContexts.defaultProvider());
        assertEquals(ClientAuth.REQUIRE, ServerTlsContexts.clientAuth("yes"));
        assertEquals(ClientAuth.OPTIONAL, ServerTlsContexts.clientAuth("optional"));
        assertEquals(ClientAuth.NONE, ServerTlsContexts.clientAuth("no"));
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void authClientsYesRequiresACertificateFromTheCa(SslProvider provider) throws Exception {
        SslContext ctx = build(provider, Map.of());
        SSLEngine withCert = server(ctx);
        Handshake.run(client(certs, true), withCert);
        assertTrue(withCert.getSession().getPeerCertificates().length > 0);
        assertThrows(SSLException.class, () -> Handshake.run(client(certs, false), server(ctx)));
        assertThrows(SSLException.class, () -> Handshake.run(client(stranger, true), server(ctx)),
                "a certificate another CA signed");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void authClientsOptionalChecksACertificateOnlyIfSent(SslProvider provider) throws Exception {
        SslContext ctx = build(provider, Map.of("tls-auth-clients", "optional"));
        SSLEngine without = server(ctx);
        Handshake.run(client(certs, false), without);
        assertThrows(SSLPeerUnverifiedException.class, () -> without.getSession().getPeerCertificates());
        SSLEngine with = server(ctx);
        Handshake.run(client(certs, true), with);
        assertTrue(with.getSession().getPeerCertificates().length > 0);
        assertThrows(SSLException.class, () -> Handshake.run(client(stranger, true), server(ctx)));
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void authClientsNoAsksForNoCertificateAndNeedsNoCa(SslProvider provider) throws Exception {
        ServerConfig c = ServerConfig.defaults()
                .with("tls-cert-file", List.of(certs.serverCert.toString()))
                .with("tls-key-file", List.of(certs.serverKey.toString()))
                .with("tls-auth-clients", List.of("no"));
        SslContext ctx = ServerTlsContexts.build(TlsSettings.of(c), provider);
        SSLEngine s = server(ctx);
        Handshake.run(client(certs, false), s);
        SSLEngine s2 = server(ctx);
        Handshake.run(client(certs, true), s2);
        assertThrows(SSLPeerUnverifiedException.class, () -> s2.getSession().getPeerCertificates(),
                "the server did not ask for the client's certificate");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void protocolsAreHonoured(SslProvider provider) throws Exception {
        SslContext ctx = build(provider, Map.of("tls-protocols", "TLSv1.2"));
        SSLEngine s = server(ctx);
        Handshake.run(client(certs, true), s);
        assertEquals("TLSv1.2", s.getSession().getProtocol());
        SSLEngine tls13Only = client(certs, true);
        tls13Only.setEnabledProtocols(new String[] {"TLSv1.3"});
        assertThrows(SSLException.class, () -> Handshake.run(tls13Only, server(ctx)));
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void tlsCiphersChoosesTls12SuitesAndLeavesTls13Alone(SslProvider provider) throws Exception {
        SslContext ctx = build(provider, Map.of("tls-ciphers", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
        SSLEngine s12 = server(ctx);
        SSLEngine c12 = client(certs, true);
        c12.setEnabledProtocols(new String[] {"TLSv1.2"});
        Handshake.run(c12, s12);
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", s12.getSession().getCipherSuite());
        SSLEngine s13 = server(ctx);
        Handshake.run(client(certs, true), s13);
        assertEquals("TLSv1.3", s13.getSession().getProtocol());
    }

    @Test
    void preferServerCiphersLetsTheServersOrderWin() throws Exception {
        String aes128 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        String aes256 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        for (String prefer : List.of("yes", "no")) {
            ServerTls tls = new ServerTls();
            tls.configure(TlsSettings.of(config(Map.of("tls-ciphers", aes128 + ":" + aes256,
                    "tls-prefer-server-ciphers", prefer))));
            SSLEngine s = tls.newHandler(ByteBufAllocator.DEFAULT).engine();
            SSLEngine c = client(certs, true);
            c.setEnabledProtocols(new String[] {"TLSv1.2"});
            c.setEnabledCipherSuites(new String[] {aes256, aes128});
            Handshake.run(c, s);
            assertEquals(prefer.equals("yes") ? aes128 : aes256, s.getSession().getCipherSuite(), "prefer " + prefer);
        }
    }

    @Test
    void openSslCipherNamesWorkOnOpenSslAndFailAtBuildOnTheJdk() throws Exception {
        SslContext ctx = build(SslProvider.OPENSSL, Map.of("tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384"));
        SSLEngine s = server(ctx);
        SSLEngine c = client(certs, true);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        Handshake.run(c, s);
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", s.getSession().getCipherSuite());
        String jdk = assertThrows(TlsSetupException.class,
                () -> build(SslProvider.JDK, Map.of("tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384"))).getMessage();
        assertTrue(jdk.startsWith("Failed to configure ciphers: ECDHE-ECDSA-AES256-GCM-SHA384: "), jdk);
    }

    @Test
    void anEncryptedKeyNeedsItsPassword() throws Exception {
        Path key = certs.writeEncryptedServerKey("s3cret");
        SslContext ctx = build(ServerTlsContexts.defaultProvider(),
                Map.of("tls-key-file", key.toString(), "tls-key-file-pass", "s3cret"));
        assertDoesNotThrow(() -> Handshake.run(client(certs, true), server(ctx)));
        String wrong = assertThrows(TlsSetupException.class, () -> build(ServerTlsContexts.defaultProvider(),
                Map.of("tls-key-file", key.toString(), "tls-key-file-pass", "nope"))).getMessage();
        assertTrue(wrong.startsWith("Failed to load private key: " + key + ": "), wrong);
    }

    @Test
    void failuresGiveRedisLogLines() throws Exception {
        assertEquals("No tls-cert-file configured!", fail(ServerConfig.defaults()));
        assertEquals("No tls-key-file configured!",
                fail(ServerConfig.defaults().with("tls-cert-file", List.of(certs.serverCert.toString()))));
        assertEquals("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication "
                + "or tls-auth-clients are enabled!", fail(config(Map.of("tls-ca-cert-file", ""))));
        Path missing = dir.resolve("missing.crt");
        assertEquals("Failed to load certificate: " + missing + ": No such file or directory",
                fail(config(Map.of("tls-cert-file", missing.toString()))));
        String notAKey = fail(config(Map.of("tls-key-file", certs.caCert.toString())));
        assertTrue(notAKey.startsWith("Failed to load private key: " + certs.caCert + ": "), notAKey);
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        String badCa = fail(config(Map.of("tls-ca-cert-file", garbage.toString())));
        assertTrue(badCa.startsWith("Failed to configure CA certificate(s) file/directory: "), badCa);
        String badCipher = fail(config(Map.of("tls-ciphers", "NO-SUCH-CIPHER")));
        assertTrue(badCipher.startsWith("Failed to configure ciphers: NO-SUCH-CIPHER"), badCipher);
        assertFalse(badCipher.contains("\n"));
    }

    @Test
    void caDirectoryIsReadLikeOpenSslReadsOne() throws Exception {
        Path caDir = dir.resolve("ca-dir");
        Files.createDirectories(caDir);
        Files.copy(certs.caCert, caDir.resolve("ca.pem"));
        Files.writeString(caDir.resolve("README"), "not a certificate");
        SslContext ctx = build(ServerTlsContexts.defaultProvider(),
                Map.of("tls-ca-cert-file", "", "tls-ca-cert-dir", caDir.toString()));
        assertDoesNotThrow(() -> Handshake.run(client(certs, true), server(ctx)));
        assertThrows(SSLException.class, () -> Handshake.run(client(stranger, true), server(ctx)));
    }

    @Test
    void aFailedReconfigureKeepsTheContextThatServes() {
        ServerTls tls = new ServerTls();
        TlsSettings good = TlsSettings.of(config(Map.of()));
        tls.configure(good);
        assertFalse(tls.differs(good));
        TlsSettings bad = TlsSettings.of(config(Map.of("tls-cert-file", dir.resolve("nope.crt").toString())));
        assertThrows(TlsSetupException.class, () -> tls.configure(bad));
        assertFalse(tls.differs(good), "the old context still serves");
        assertTrue(tls.differs(bad));
        var handler = tls.newHandler(ByteBufAllocator.DEFAULT);
        assertDoesNotThrow(() -> Handshake.run(client(certs, true), handler.engine()));
    }

    private static String fail(ServerConfig c) {
        return assertThrows(TlsSetupException.class, () -> ServerTlsContexts.build(TlsSettings.of(c))).getMessage();
    }
}
