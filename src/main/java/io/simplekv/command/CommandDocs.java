package io.simplekv.command;

import java.util.List;

/**
 * What COMMAND DOCS tells about a command. Fields Redis leaves out of the reply are null (history and arguments
 * too: Redis tells an absent list from an empty one); docFlags are "deprecated" and "syscmd".
 */
public record CommandDocs(String summary, String since, String group, String complexity, List<String> docFlags,
                         String deprecatedSince, String replacedBy, List<HistoryEntry> history,
                         List<CommandArg> arguments) {
    public CommandDocs {
        docFlags = List.copyOf(docFlags);
        history = history == null ? null : List.copyOf(history);
        arguments = arguments == null ? null : List.copyOf(arguments);
    }

    /** A version and what it changed. */
    public record HistoryEntry(String since, String changes) {
    }
}
