package io.simplekv.command;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every connected client by id, for CLIENT LIST/KILL, INFO clients, maxclients and the idle sweeper. */
public final class ClientRegistry {
    private final ConcurrentHashMap<Long, Session> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(Session c) {
        clients.put(c.id(), c);
    }

    public void remove(Session c) {
        clients.remove(c.id());
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
