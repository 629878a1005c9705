package io.simplekv.protocol;

/** One request: the command name and its arguments, all as bytes, the name at index 0. */
public record Command(byte[][] args) {
}
