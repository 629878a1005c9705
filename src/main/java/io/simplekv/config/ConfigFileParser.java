package io.simplekv.config;

import io.simplekv.text.ArgSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads redis.conf syntax: one "directive arg ..." per line, '#' comments, quoted arguments, and
 * "include path". Errors name the file, the line number and the directive, as Redis's FATAL CONFIG FILE ERROR.
 */
public final class ConfigFileParser {
    private ConfigFileParser() {}

    /** Thrown for a file that cannot be used; the message is the whole one-line report. */
    public static final class BadConfigFile extends RuntimeException {
        public BadConfigFile(String message) {
            super(message, null, false, false);
        }
    }

    public static ServerConfig apply(ServerConfig base, Path file) {
        return apply(base, file, 0, new boolean[1]);
    }

    /**
     * {@code saveSeen}: whether a save line was read already. As Redis's setConfigSaveOption while reading a
     * config file, the first save line replaces the default save points and each further one adds its own.
     */
    private static ServerConfig apply(ServerConfig config, Path file, int depth, boolean[] saveSeen) {
        if (depth > 10) throw new BadConfigFile("FATAL CONFIG FILE ERROR: " + file + ": include nested too deeply");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadConfigFile("FATAL CONFIG FILE ERROR: can't open config file '" + file + "': " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<byte[]> raw = ArgSplitter.split(line.getBytes(StandardCharsets.UTF_8));
            String where = file + ":" + (i + 1) + ": '" + line + "'";
            if (raw == null) throw new BadConfigFile("FATAL CONFIG FILE ERROR: " + where + ": Unbalanced quotes in configuration line");
            List<String> words = new ArrayList<>();
            for (byte[] w : raw) words.add(new String(w, StandardCharsets.UTF_8));
            String name = words.get(0).toLowerCase();
            List<String> args = words.subList(1, words.size());
            if (name.equals("include")) {
                if (args.size() != 1) throw new BadConfigFile("FATAL CONFIG FILE ERROR: " + where + ": wrong number of arguments");
                Path inc = Path.of(args.get(0));
                if (!inc.isAbsolute() && file.getParent() != null && !Files.exists(inc)) inc = file.getParent().resolve(inc);
                config = apply(config, inc, depth + 1, saveSeen);
                continue;
            }
            try {
                if (name.equals("user")) {
                    config = config.withUser(latin1(raw.subList(1, raw.size())));
                } else if (name.equals("save") && saveSeen[0]) {
                    config = config.withMoreSavePoints(args);
                } else {
                    config = config.with(name, args);
                    if (name.equals("save")) saveSeen[0] = true;
                }
            } catch (ConfigException e) {
                throw new BadConfigFile("FATAL CONFIG FILE ERROR: " + where + ": " + e.getMessage());
            }
        }
        return config;
    }

    /** A user line's words byte for byte (ACL rules are Latin-1 text, so binary passwords survive). */
    private static List<String> latin1(List<byte[]> words) {
        List<String> out = new ArrayList<>();
        for (byte[] w : words) out.add(new String(w, StandardCharsets.ISO_8859_1));
        return out;
    }
}
