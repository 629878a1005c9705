package io.simplekv.command;

import io.simplekv.support.RecordedReplies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandCatalogTest {
    private final CommandCatalog catalog = CommandCatalog.read();

    /** The catalog holds every command and subcommand Redis 7.0.15 answered COMMAND INFO for. */
    @Test
    void holdsEveryRecordedCommand() {
        List<String> recorded = new ArrayList<>();
        for (RecordedReplies.Entry e : RecordedReplies.load("command-info.resp2")) recorded.add(e.args().get(2));
        List<String> inCatalog = new ArrayList<>();
        for (String name : recorded) {
            String[] parts = name.split("\\|");
            CommandMeta meta = catalog.command(parts[0]);
            if (meta != null && parts.length == 2) meta = meta.subcommands().get(parts[1]);
            if (meta != null) inCatalog.add(meta.name());
        }
        assertEquals(recorded, inCatalog);
        assertEquals(240, catalog.size());
    }

    @Test
    void modelsWhatRedisTells() {
        CommandMeta set = catalog.command("set");
        assertEquals(-3, set.arity());
        assertTrue(set.has(CommandFlag.DENYOOM));
        assertEquals(GetKeysProcedure.SET, set.getKeys());
        assertTrue(set.keySpecs().get(0).has(KeySpec.Flag.VARIABLE_FLAGS));
        assertEquals(new KeySpec.Range(0, 1, 0), set.keySpecs().get(0).find());
        CommandMeta zunionstore = catalog.command("zunionstore");
        assertEquals(new KeySpec.KeyNum(0, 1, 1), zunionstore.keySpecs().get(1).find());
        CommandMeta configGet = catalog.command("config").subcommands().get("get");
        assertEquals("config|get", configGet.name());
        assertTrue(configGet.aclCategories().contains(AclCategory.DANGEROUS));
        assertNull(catalog.command("nosuch"));
    }

    @Test
    void aHandlerForACommandRedisLacksFailsTheBuild() {
        CommandTable.Builder t = new CommandTable.Builder(catalog);
        assertThrows(IllegalStateException.class, () -> t.add(CommandSpec.command("nosuch", (c, a, o) -> o.ok())));
        assertThrows(IllegalStateException.class, () -> t.add(CommandSpec.command("client", null)
                .sub(CommandSpec.command("setinfo", (c, a, o) -> o.ok()))));
    }
}
