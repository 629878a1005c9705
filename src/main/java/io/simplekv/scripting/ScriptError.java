package io.simplekv.scripting;

/** A script that does not compile; the message is Lua's. */
final class ScriptError extends RuntimeException {
    ScriptError(String message) {
        super(message, null, false, false);
    }
}
