package io.simplekv.command;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every connected client by id, for CLIENT LIST/KILL, INFO clients, maxclients and the idle sweeper. */
public final class ClientRegistry {
    private final ConcurrentHashMap<Long, Session> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    /** What the normal and pub/sub clients hold, as each last counted itself ({@link Session#recountMemory}). */
    private final java.util.concurrent.atomic.LongAdder memory = new java.util.concurrent.atomic.LongAdder();

    /** Adds a client's change in counted memory. */
    void counted(long delta) {
        memory.add(delta);
    }

    /** INFO's mem_clients_normal and what maxmemory-clients is held to: the clients' memory as last counted. */
    public long memory() {
        return memory.sum();
    }

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(Session c) {
        clients.put(c.id(), c);
    }

    public void remove(Session c) {
        if (clients.remove(c.id()) != null) c.uncountMemory();
    }

    public int size() {
        return clients.size();
    }

    public Session get(long id) {
        return clients.get(id);
    }

    public Collection<Session> all() {
        return clients.values();
    }
}
