package io.simplekv.config;

/** A directive that cannot be accepted; the message is Redis's reason text, without location. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String reason) {
        super(reason, null, false, false);
    }
}
