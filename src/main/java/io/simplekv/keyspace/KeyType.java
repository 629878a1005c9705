package io.simplekv.keyspace;

/** The type tag stored in the first byte of every key's record; the codes are part of the on-disk format. */
public enum KeyType {
    STRING(0, "string"),
    LIST(1, "list"),
    SET(2, "set"),
    ZSET(3, "zset"),
    HASH(4, "hash"),
    STREAM(5, "stream");

    public final int code;
    public final String typeName;

    KeyType(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    private static final KeyType[] BY_CODE = values();

    public static KeyType ofCode(int code) {
        return BY_CODE[code];
    }

    /** For SCAN TYPE: the type with this name, or null for a name Redis would not recognise. */
    public static KeyType ofName(String name) {
        for (KeyType t : BY_CODE) {
            if (t.typeName.equalsIgnoreCase(name)) return t;
        }
        return null;
    }
}
