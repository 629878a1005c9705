package io.simplekv.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw bytes to a server and what came back, for requests no client library would send. */
final class RawClient {
    private RawClient() {}

    /** Sends the bytes, then reads until the server closes or nothing more arrives for {@code quietMillis}. */
    static String exchange(int port, byte[] request, int quietMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(quietMillis);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                // the server may close before all of a bad request is written
            }
            return readAll(s.getInputStream());
        }
    }

    static String exchange(int port, String request, int quietMillis) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), quietMillis);
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
        } catch (SocketTimeoutException quiet) {
            // nothing more for now
        } catch (IOException reset) {
            // closed with unread input: what arrived before counts
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
