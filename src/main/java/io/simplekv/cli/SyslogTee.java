package io.simplekv.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code syslog-enabled yes}: every log line goes on to where it went (stdout or the logfile) and, as Redis's
 * serverLogRaw does through syslog(3), to the system log: one datagram per line to /dev/log, tagged with
 * {@code syslog-ident} and the process id under {@code syslog-facility}, its level mapped as Redis maps its own
 * (notice for info, warning, info for verbose, debug). The line's own timestamp and level are left to syslog.
 * slf4j-simple writes a whole line per call, so a line is sent when its newline arrives.
 */
final class SyslogTee extends OutputStream {
    /** Where syslog(3) sends; a test points it elsewhere with this system property. */
    static final String SOCKET_PROPERTY = "simplekv.syslog.socket";
    private static final Map<String, Integer> FACILITIES = Map.of("user", 1, "local0", 16, "local1", 17,
            "local2", 18, "local3", 19, "local4", 20, "local5", 21, "local6", 22, "local7", 23);

    private final OutputStream out;
    private final String socket;
    private final String tag;
    private final int facility;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    SyslogTee(OutputStream out, String ident, String facility) {
        this.out = out;
        this.socket = System.getProperty(SOCKET_PROPERTY, "/dev/log");
        this.tag = ident + "[" + ProcessHandle.current().pid() + "]: ";
        this.facility = FACILITIES.getOrDefault(facility, 16);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
        if (b == '\n') sendLine();
        else line.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') sendLine();
            else line.write(b[i]);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void sendLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        // slf4j-simple's line: "dd MMM yyyy HH:mm:ss.SSS LEVEL message".
        String[] parts = text.split(" ", 6);
        int severity = 5;
        String message = text;
        if (parts.length == 6) {
            severity = switch (parts[4]) {
                case "ERROR" -> 3;
                case "WARN" -> 4;
                case "DEBUG", "TRACE" -> 7;
                default -> 5;
            };
            message = parts[5];
        }
        // A system without syslog just doesn't get the line; the log file still does.
        UnixDatagram.send(socket, ("<" + (facility * 8 + severity) + ">" + tag + message)
                .getBytes(StandardCharsets.UTF_8));
    }
}
