package io.simplekv.server;

import io.simplekv.command.CommandCatalog;
import io.simplekv.command.CommandIntrospection;
import io.simplekv.command.CommandTable;
import io.simplekv.command.bitmap.BitCommands;
import io.simplekv.command.connection.ConnectionCommands;
import io.simplekv.command.generic.KeyCommands;
import io.simplekv.command.generic.SortCommand;
import io.simplekv.command.geo.GeoCommands;
import io.simplekv.command.geo.GeoSearch;
import io.simplekv.command.hash.HashCommands;
import io.simplekv.command.hyperloglog.HyperLogLogCommands;
import io.simplekv.command.list.BlockingListCommands;
import io.simplekv.command.list.ListCommands;
import io.simplekv.command.pubsub.PubSubCommands;
import io.simplekv.command.scripting.EvalCommands;
import io.simplekv.command.scripting.FunctionCommands;
import io.simplekv.command.server.DatabaseCommands;
import io.simplekv.command.server.DiagnosticCommands;
import io.simplekv.command.server.LatencyCommands;
import io.simplekv.command.server.ReplicationCommands;
import io.simplekv.command.server.ServerCommands;
import io.simplekv.command.set.SetCommands;
import io.simplekv.command.sorted_set.BlockingZSetCommands;
import io.simplekv.command.sorted_set.ZRandomMember;
import io.simplekv.command.sorted_set.ZRangeCommands;
import io.simplekv.command.sorted_set.ZSetAlgebra;
import io.simplekv.command.sorted_set.ZSetCommands;
import io.simplekv.command.stream.StreamCommands;
import io.simplekv.command.string.LcsCommand;
import io.simplekv.command.string.StringCommands;
import io.simplekv.command.transactions.TransactionCommands;

/**
 * The command table of this server: every command group's handlers joined to Redis's metadata. The one place that
 * knows all the groups, so the command machinery never depends on them.
 */
public final class CommandGroups {
    private CommandGroups() {}

    public static CommandTable table() {
        CommandTable.Builder t = new CommandTable.Builder(CommandCatalog.redis());
        ConnectionCommands.register(t);
        io.simplekv.command.server.AclCommands.register(t);
        StringCommands.register(t);
        LcsCommand.register(t);
        HashCommands.register(t);
        HyperLogLogCommands.register(t);
        SetCommands.register(t);
        ListCommands.register(t);
        ZSetCommands.register(t);
        ZRangeCommands.register(t);
        ZSetAlgebra.register(t);
        ZRandomMember.register(t);
        GeoCommands.register(t);
        GeoSearch.register(t);
        BlockingListCommands.register(t);
        BlockingZSetCommands.register(t);
        StreamCommands.register(t);
        BitCommands.register(t);
        KeyCommands.register(t);
        SortCommand.register(t);
        PubSubCommands.register(t);
        TransactionCommands.register(t);
        ServerCommands.register(t);
        DatabaseCommands.register(t);
        ReplicationCommands.register(t);
        LatencyCommands.register(t);
        FunctionCommands.register(t);
        EvalCommands.register(t);
        CommandIntrospection.register(t);
        DiagnosticCommands.register(t);
        return t.build();
    }
}
