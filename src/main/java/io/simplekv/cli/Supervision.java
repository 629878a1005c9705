package io.simplekv.cli;

import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code supervised systemd|auto}: as Redis's redisIsSupervised and redisCommunicateSystemd, the server tells
 * systemd (a {@code Type=notify} unit) where it stands by sd_notify's protocol: one datagram per message to the
 * unix socket named by {@code NOTIFY_SOCKET} ("@name" is the abstract namespace), through {@link UnixDatagram}.
 * {@code upstart} is not supported (Redis stops itself with SIGSTOP for it); it is reported and ignored.
 */
final class Supervision {
    static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    private final String socket;

    private Supervision(String socket) {
        this.socket = socket;
    }

    /** Not supervised: every message is dropped. */
    static Supervision none() {
        return new Supervision(null);
    }

    /**
     * The supervision the directive and the environment ask for, decided before daemonizing (a supervised server
     * stays in the foreground). Nothing is sent yet: {@link #begin} does that once logging is set up.
     */
    static Supervision of(String mode, Map<String, String> env) {
        String socket = env.get(NOTIFY_SOCKET);
        boolean systemd = "systemd".equals(mode) || "auto".equals(mode) && socket != null && !socket.isEmpty();
        return systemd ? new Supervision(socket == null ? "" : socket) : none();
    }

    /** Whether systemd is told about this process (and so the server does not daemonize). */
    boolean active() {
        return socket != null && !socket.isEmpty();
    }

    /** INFO's process_supervised. */
    String mode() {
        return active() ? "systemd" : "no";
    }

    /** redisSupervisedSystemd: the first message, and the log lines Redis writes for it. */
    Supervision begin(String requested, Logger log) {
        if ("upstart".equals(requested)) {
            log.warn("upstart supervision is not supported; the server runs unsupervised");
            return this;
        }
        if (socket == null) return this;
        if (!active()) {
            log.warn("systemd supervision error: NOTIFY_SOCKET not found!");
            return none();
        }
        String failure = send("STATUS=Redis is loading...\n");
        if (failure != null) {
            log.warn("systemd supervision error: {}", failure);
            return none();
        }
        log.info("Supervised by systemd. Please make sure you set appropriate values for TimeoutStartSec and "
                + "TimeoutStopSec in your service unit.");
        return this;
    }

    /** Once the server accepts connections; a replica says it waits for its master's data, as Redis's does. */
    void ready(boolean replica) {
        notify(replica ? "STATUS=Ready to accept connections in read-only mode. Waiting for MASTER <-> REPLICA sync\n"
                : "STATUS=Ready to accept connections\n");
        notify("READY=1\n");
    }

    /** When a shutdown begins (SHUTDOWN, or a signal). */
    void stopping() {
        notify("STOPPING=1\n");
    }

    private void notify(String message) {
        if (active()) send(message);
    }

    /** One datagram; null once sent, else why not. */
    private String send(String message) {
        String failure = UnixDatagram.send(socket, message.getBytes(StandardCharsets.UTF_8));
        return failure == null ? null : "sd_notify: " + failure;
    }
}
