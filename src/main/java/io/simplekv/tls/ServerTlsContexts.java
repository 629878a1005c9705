package io.simplekv.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the server's SslContext from the tls-* directives, checking them in the order Redis's tlsConfigure does
 * and failing with the line Redis logs. OpenSSL (netty-tcnative's BoringSSL) when its native library loads, the
 * JDK's TLS otherwise.
 */
public final class ServerTlsContexts {
    private ServerTlsContexts() {}

    public static SslProvider defaultProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslContext build(TlsSettings s) {
        return build(s, defaultProvider());
    }

    public static SslContext build(TlsSettings s, SslProvider provider) {
        if (s.certFile().isEmpty()) throw new TlsSetupException("No tls-cert-file configured!");
        if (s.keyFile().isEmpty()) throw new TlsSetupException("No tls-key-file configured!");
        if (s.peersNeedCa() && s.caCertFile().isEmpty() && s.caCertDir().isEmpty()) {
            throw new TlsSetupException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, "
                    + "tls-replication or tls-auth-clients are enabled!");
        }
        String[] protocols = protocols(s.protocols());
        try {
            certificates(Path.of(s.certFile()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TlsSetupException("Failed to load certificate: " + s.certFile() + ": " + reason(e));
        }
        SslContextBuilder b;
        try {
            b = SslContextBuilder.forServer(new File(s.certFile()), new File(s.keyFile()),
                    s.keyFilePass().isEmpty() ? null : s.keyFilePass());
        } catch (RuntimeException e) {
            throw new TlsSetupException("Failed to load private key: " + s.keyFile() + ": " + reason(e));
        }
        if (!s.caCertFile().isEmpty() || !s.caCertDir().isEmpty()) {
            b.trustManager(trusted(s.caCertFile(), s.caCertDir()));
        }
        b.sslProvider(provider)
                .clientAuth(clientAuth(s.authClients()))
                .protocols(protocols);
        if (s.sessionCaching()) b.sessionCacheSize(s.sessionCacheSize()).sessionTimeout(s.sessionCacheTimeout());
        SslContext context;
        try {
            context = b.build();
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException("Failed to configure TLS: " + reason(e));
        }
        if (!s.ciphers().isBlank() || !s.ciphersuites().isBlank()) {
            // Netty takes one list for both versions; the half not configured keeps the provider's defaults, as in
            // Redis, where tls-ciphers alone leaves TLSv1.3 alone.
            try {
                context = b.ciphers(ciphers(s.ciphers(), s.ciphersuites(), context.cipherSuites())).build();
                // The JDK checks cipher names only as it makes an engine: make one here, not at a client's connect.
                ReferenceCountUtil.release(context.newEngine(ByteBufAllocator.DEFAULT));
            } catch (IOException | RuntimeException e) {
                throw new TlsSetupException("Failed to configure ciphers: "
                        + String.join(" ", List.of(s.ciphers(), s.ciphersuites())).trim() + ": " + reason(e));
            }
        }
        // The JDK's session context has no off switch; there a disabled cache keeps the JDK's defaults.
        if (!s.sessionCaching() && context.sessionContext() instanceof OpenSslSessionContext openSsl) {
            openSsl.setSessionCacheEnabled(false);
        }
        return context;
    }

    /** Redis's tls-auth-clients: yes requires a client certificate, optional checks one if sent, no asks for none. */
    public static ClientAuth clientAuth(String authClients) {
        return switch (authClients) {
            case "no" -> ClientAuth.NONE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.REQUIRE;
        };
    }

    /** tls-protocols as Redis parses it: space-separated, case-insensitive; unset means TLSv1.2 and TLSv1.3. */
    static String[] protocols(String text) {
        if (text.isBlank()) return new String[] {"TLSv1.2", "TLSv1.3"};
        Set<String> out = new LinkedHashSet<>();
        for (String word : text.trim().split(" +")) {
            switch (word.toLowerCase(Locale.ROOT)) {
                case "tlsv1" -> out.add("TLSv1");
                case "tlsv1.1" -> out.add("TLSv1.1");
                case "tlsv1.2" -> out.add("TLSv1.2");
                case "tlsv1.3" -> out.add("TLSv1.3");
                default -> throw new TlsSetupException("Invalid tls-protocols specified. "
                        + "Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            }
        }
        return out.toArray(new String[0]);
    }

    /** The TLSv1.3 cipher suites (tls-ciphersuites' names); every other suite is TLSv1.2's (tls-ciphers'). */
    private static final Set<String> TLS13_SUITES = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");

    /**
     * tls-ciphers (TLSv1.2) and tls-ciphersuites (TLSv1.3) are colon-separated names: IANA's
     * (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) on either provider, OpenSSL's (ECDHE-ECDSA-AES128-GCM-SHA256) on
     * OpenSSL only. Netty takes names, not OpenSSL's selection expressions ("HIGH:!aNULL"), so an expression is
     * refused at build. A version whose directive is empty keeps its suites from {@code defaults}.
     */
    static List<String> ciphers(String ciphers, String ciphersuites, List<String> defaults) {
        List<String> tls12 = names(ciphers);
        List<String> tls13 = names(ciphersuites);
        List<String> out = new ArrayList<>(tls12.isEmpty()
                ? defaults.stream().filter(n -> !TLS13_SUITES.contains(n)).toList() : tls12);
        out.addAll(tls13.isEmpty() ? defaults.stream().filter(TLS13_SUITES::contains).toList() : tls13);
        return out;
    }

    private static List<String> names(String colonSeparated) {
        List<String> out = new ArrayList<>();
        for (String name : colonSeparated.split(":")) {
            if (!name.isBlank()) out.add(name.trim());
        }
        return out;
    }

    /** The CA file's certificates and those of every readable certificate file in the CA directory. */
    private static X509Certificate[] trusted(String caFile, String caDir) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            if (!caFile.isEmpty()) out.addAll(certificates(Path.of(caFile)));
            if (!caDir.isEmpty()) {
                try (Stream<Path> files = Files.list(Path.of(caDir))) {
                    for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                        // OpenSSL's hashed directories hold other files too (CRLs, keys): only certificates count.
                        if (!Files.isRegularFile(f)) continue;
                        try {
                            out.addAll(certificates(f));
                        } catch (IOException | GeneralSecurityException | RuntimeException notACertificate) {
                            // skipped, as OpenSSL skips what it cannot use
                        }
                    }
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TlsSetupException("Failed to configure CA certificate(s) file/directory: " + reason(e));
        }
        if (out.isEmpty()) {
            throw new TlsSetupException("Failed to configure CA certificate(s) file/directory: no certificate found");
        }
        return out.toArray(new X509Certificate[0]);
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new GeneralSecurityException("no certificate in the file");
            return out;
        }
    }

    /** The innermost message, on one line: what a user can act on (a missing file, a bad password). */
    private static String reason(Throwable e) {
        Throwable t = e;
        String message = e.toString();
        while (t != null) {
            if (t instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
            if (t.getMessage() != null) message = t.getMessage();
            t = t.getCause();
        }
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
