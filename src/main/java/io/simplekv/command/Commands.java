package io.simplekv.command;

/** Builds the command table from every command group. */
public final class Commands {
    private Commands() {}

    public static CommandTable table() {
        CommandTable.Builder t = new CommandTable.Builder(CommandCatalog.redis());
        ConnectionCommands.register(t);
        StringCommands.register(t);
        HashCommands.register(t);
        SetCommands.register(t);
        ListCommands.register(t);
        ZSetCommands.register(t);
        ZRangeCommands.register(t);
        ZSetAlgebra.register(t);
        ZRandomMember.register(t);
        GeoCommands.register(t);
        BlockingCommands.register(t);
        BitCommands.register(t);
        KeyCommands.register(t);
        SortCommand.register(t);
        PubSubCommands.register(t);
        TransactionCommands.register(t);
        ServerCommands.register(t);
        CommandIntrospection.register(t);
        DiagnosticCommands.register(t);
        return t.build();
    }
}
