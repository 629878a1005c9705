package io.simplekv.scripting;

/** A script in the EVAL cache: its SHA1, body, shebang flags and the compiled function's reference in the state. */
public record EvalScript(String sha, byte[] body, ScriptFlags flags, int ref) {}
