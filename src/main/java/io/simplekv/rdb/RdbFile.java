package io.simplekv.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Redis's RDB file (version 10, as Redis 7.0 writes it): "REDIS0010", auxiliary fields, then per database a
 * SELECTDB and RESIZEDB opcode and its keys (an optional EXPIRETIME_MS, the type byte, the key, the value), then EOF
 * and the CRC-64 of everything before it (zero when rdbchecksum is off). Values are written by {@link DumpPayload}'s
 * encoders, one key at a time, so memory holds one value's bytes at most.
 */
public final class RdbFile {
    static final int OPCODE_FUNCTION2 = 0xf5;
    static final int OPCODE_MODULE_AUX = 0xf7;
    static final int OPCODE_IDLE = 0xf8;
    static final int OPCODE_FREQ = 0xf9;
    static final int OPCODE_AUX = 0xfa;
    static final int OPCODE_RESIZEDB = 0xfb;
    static final int OPCODE_EXPIRETIME_MS = 0xfc;
    static final int OPCODE_EXPIRETIME = 0xfd;
    static final int OPCODE_SELECTDB = 0xfe;
    static final int OPCODE_EOF = 0xff;

    private RdbFile() {}

    /** Writes one RDB file to a stream the caller owns. */
    public static final class Writer {
        private final OutputStream out;
        private final boolean checksum;
        /** Null with rdbcompression no. */
        private final LzfCompressor compressor;
        private long crc;

        /** {@code checksum}: rdbchecksum; {@code compress}: rdbcompression. */
        public Writer(OutputStream out, boolean checksum, boolean compress) throws IOException {
            this.out = out;
            this.checksum = checksum;
            this.compressor = compress ? new LzfCompressor() : null;
            emit(("REDIS" + String.format("%04d", RdbWriter.RDB_VERSION)).getBytes(StandardCharsets.US_ASCII));
        }

        public void aux(String key, String value) throws IOException {
            emit(new RdbWriter(compressor).type(OPCODE_AUX).string(bytes(key)).string(bytes(value)).body());
        }

        public void function(byte[] libraryCode) throws IOException {
            emit(new RdbWriter(compressor).type(OPCODE_FUNCTION2).string(libraryCode).body());
        }

        public void selectDb(int db, long keys, long expires) throws IOException {
            emit(new RdbWriter().type(OPCODE_SELECTDB).length(db).type(OPCODE_RESIZEDB).length(keys).length(expires).body());
        }

        /** One key; {@code expireAtMillis} is -1 for none. */
        public void entry(byte[] key, long expireAtMillis, RdbValue value) throws IOException {
            RdbWriter w = new RdbWriter(compressor);
            if (expireAtMillis >= 0) w.type(OPCODE_EXPIRETIME_MS).millisecondTime(expireAtMillis);
            w.type(DumpPayload.typeOf(value)).string(key);
            DumpPayload.writeBody(w, value);
            emit(w.body());
        }

        /** EOF and the checksum; the caller then forces and closes the stream. */
        public void end() throws IOException {
            emit(new byte[] {(byte) OPCODE_EOF});
            long sum = checksum ? crc : 0;
            byte[] footer = new byte[8];
            for (int i = 0; i < 8; i++) footer[i] = (byte) (sum >>> (8 * i));
            out.write(footer);
        }

        private void emit(byte[] b) throws IOException {
            if (checksum) crc = Crc64.update(crc, b, 0, b.length);
            out.write(b);
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** What a file holds, in file order. */
    public interface Visitor {
        void selectDb(int db);

        /** {@code expireAtMillis} is -1 for none. */
        void entry(byte[] key, long expireAtMillis, RdbValue value);

        void function(byte[] libraryCode);
    }

    /**
     * Reads a whole file (rdbLoadRioWithLoadingCtx): every opcode Redis 7.0 writes; module data is refused.
     *
     * @throws IllegalArgumentException with the reason, for a file that is not a valid RDB
     */
    public static void read(byte[] file, Visitor visitor) {
        if (file.length < 9 || !new String(file, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new IllegalArgumentException("Wrong signature trying to load DB from file");
        }
        int version;
        try {
            version = Integer.parseInt(new String(file, 5, 4, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Wrong signature trying to load DB from file");
        }
        if (version < 1 || version > RdbWriter.RDB_VERSION) {
            throw new IllegalArgumentException("Can't handle RDB format version " + version);
        }
        RdbReader in = new RdbReader(file, 9, file.length);
        long expireAt = -1;
        try {
            while (true) {
                int type = in.readType();
                switch (type) {
                    case OPCODE_EOF -> {
                        verifyChecksum(file, in, version);
                        return;
                    }
                    case OPCODE_AUX -> {
                        in.readString();
                        in.readString();
                    }
                    case OPCODE_RESIZEDB -> {
                        in.readLength();
                        in.readLength();
                    }
                    case OPCODE_SELECTDB -> visitor.selectDb((int) in.readLength());
                    case OPCODE_EXPIRETIME_MS -> expireAt = in.readFixed(8);
                    case OPCODE_EXPIRETIME -> expireAt = in.readFixed(4) * 1000;
                    case OPCODE_IDLE -> in.readLength();
                    case OPCODE_FREQ -> in.readFixed(1);
                    case OPCODE_FUNCTION2 -> visitor.function(in.readString());
                    case OPCODE_MODULE_AUX -> throw new IllegalArgumentException("module data is not supported");
                    default -> {
                        byte[] key = in.readString();
                        visitor.entry(key, expireAt, DumpPayload.value(type, in));
                        expireAt = -1;
                    }
                }
            }
        } catch (IndexOutOfBoundsException | ClassCastException e) {
            throw new IllegalArgumentException("Short read or corrupt RDB file");
        }
    }

    private static void verifyChecksum(byte[] file, RdbReader in, int version) {
        if (version < 5) return;
        int end = in.position();
        long stored = in.readFixed(8);
        if (stored != 0 && stored != Crc64.of(file, 0, end)) {
            throw new IllegalArgumentException("Wrong RDB checksum. Aborting now.");
        }
    }
}
