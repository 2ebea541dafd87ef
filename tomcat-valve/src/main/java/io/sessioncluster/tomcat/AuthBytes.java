package io.sessioncluster.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The primitives of the auth-state format: counts, nullable strings (UTF-8, length first), nullable byte arrays,
 * flags and integers. Reading trusts nothing: every length and count is checked against the bytes that are left, so
 * a corrupt or hostile record fails with {@link Malformed} instead of allocating what it claims.
 */
final class AuthBytes {

    private AuthBytes() {
    }

    /** The stored bytes do not follow the format. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    static final class Out {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        private final DataOutputStream data = new DataOutputStream(buffer);

        void flag(boolean value) throws IOException {
            data.writeBoolean(value);
        }

        void integer(int value) throws IOException {
            data.writeInt(value);
        }

        void count(int value) throws IOException {
            data.writeInt(value);
        }

        void string(String value) throws IOException {
            bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] value) throws IOException {
            if (value == null) {
                data.writeInt(-1);
            } else {
                data.writeInt(value.length);
                data.write(value);
            }
        }

        byte[] toByteArray() throws IOException {
            data.flush();
            return buffer.toByteArray();
        }
    }

    static final class In {
        private final byte[] source;
        private int position;

        In(byte[] source, int offset) {
            this.source = source;
            this.position = offset;
        }

        private int remaining() {
            return source.length - position;
        }

        private void need(int n) throws Malformed {
            if (n < 0 || n > remaining()) {
                throw new Malformed("truncated: " + n + " bytes wanted, " + remaining() + " left");
            }
        }

        int unsignedByte() throws Malformed {
            need(1);
            return source[position++] & 0xFF;
        }

        boolean flag() throws Malformed {
            int b = unsignedByte();
            if (b > 1) {
                throw new Malformed("flag of value " + b);
            }
            return b == 1;
        }

        int integer() throws Malformed {
            need(4);
            int value = ((source[position] & 0xFF) << 24) | ((source[position + 1] & 0xFF) << 16)
                    | ((source[position + 2] & 0xFF) << 8) | (source[position + 3] & 0xFF);
            position += 4;
            return value;
        }

        /** A count of items that follow; each takes at least four bytes, so a count larger than that is corrupt. */
        int count() throws Malformed {
            int n = integer();
            if (n < 0 || n > remaining() / 4) {
                throw new Malformed("count of " + n + " items with " + remaining() + " bytes left");
            }
            return n;
        }

        byte[] bytes() throws Malformed {
            int n = integer();
            if (n == -1) {
                return null;
            }
            need(n);
            byte[] value = new byte[n];
            System.arraycopy(source, position, value, 0, n);
            position += n;
            return value;
        }

        String string() throws Malformed {
            byte[] utf8 = bytes();
            if (utf8 == null) {
                return null;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(utf8)).toString();
            } catch (CharacterCodingException e) {
                throw new Malformed("text that is not UTF-8");
            }
        }

        String requiredString() throws Malformed {
            String value = string();
            if (value == null) {
                throw new Malformed("missing text");
            }
            return value;
        }

        void end() throws Malformed {
            if (remaining() != 0) {
                throw new Malformed(remaining() + " bytes after the end");
            }
        }
    }
}
