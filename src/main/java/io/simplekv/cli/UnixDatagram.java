package io.simplekv.cli;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One datagram to a unix socket (systemd's NOTIFY_SOCKET, syslog's /dev/log). A JVM has no unix datagram sockets
 * of its own, so it goes out through Netty's native transport, which the server uses anyway.
 */
final class UnixDatagram {
    private UnixDatagram() {}

    /** Sends {@code message} to {@code path} ('@' first: the abstract namespace); null once sent, else why not. */
    static String send(String path, byte[] message) {
        if (!Epoll.isAvailable()) return "no native unix socket support on this system";
        ByteBuffer buffer = ByteBuffer.allocateDirect(message.length).put(message).flip();
        byte[] address = path.getBytes(StandardCharsets.UTF_8);
        if (address.length > 0 && address[0] == '@') address[0] = 0;
        Socket s = Socket.newSocketDomainDgram();
        try {
            s.sendToDomainSocket(buffer, 0, message.length, address);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // a datagram socket that sent (or failed to) has nothing left to lose
            }
        }
    }
}
