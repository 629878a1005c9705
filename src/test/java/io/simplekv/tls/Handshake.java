package io.simplekv.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/** Runs a TLS handshake between two engines in memory, and one application message each way after it. */
final class Handshake {
    private Handshake() {}

    /** Throws the SSLException either side raises (an unverified or missing client certificate, no common protocol). */
    static void run(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize()) * 4;
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer appIn = ByteBuffer.allocate(size);
        ByteBuffer ping = ByteBuffer.wrap("PING".getBytes());
        ByteBuffer pong = ByteBuffer.wrap("PONG".getBytes());
        client.beginHandshake();
        server.beginHandshake();
        boolean clientGotPong = false;
        boolean serverGotPing = false;
        for (int i = 0; i < 200 && !(clientGotPong && serverGotPing); i++) {
            client.wrap(ping, toServer);
            runTasks(client);
            server.wrap(serverGotPing ? pong : ByteBuffer.allocate(0), toClient);
            runTasks(server);
            toServer.flip();
            appIn.clear();
            server.unwrap(toServer, appIn);
            runTasks(server);
            toServer.compact();
            if (appIn.position() > 0) serverGotPing = true;
            toClient.flip();
            appIn.clear();
            client.unwrap(toClient, appIn);
            runTasks(client);
            toClient.compact();
            if (appIn.position() > 0) clientGotPong = true;
        }
        if (!(clientGotPong && serverGotPing)) throw new SSLException("no application data got through");
    }

    private static void runTasks(SSLEngine e) {
        if (e.getHandshakeStatus() != HandshakeStatus.NEED_TASK) return;
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) task.run();
    }
}
