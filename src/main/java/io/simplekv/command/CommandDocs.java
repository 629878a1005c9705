package io.simplekv.command;

/**
 * What COMMAND DOCS tells about a command. {@code syntax} is the argument line as redis.io prints it
 * ("key value [NX | XX]"); {@link CommandIntrospection} turns it into Redis's structured argument list.
 */
public record CommandDocs(String group, String since, String summary, String syntax) {
    public static final CommandDocs NONE = new CommandDocs("generic", "1.0.0", "", "");
}
