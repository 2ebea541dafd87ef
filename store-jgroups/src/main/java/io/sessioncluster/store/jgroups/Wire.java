package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.store.StoreException;
import org.jgroups.util.UUID;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The binary format of every message and answer this store exchanges. Messages come from the network and are
 * untrusted: a reader checks the format byte, every length against what is left, every id with
 * {@link SessionIds#isWellFormed}, and fails with {@link Malformed} rather than reading past a bound.
 *
 * <pre>
 * message  = FORMAT(1 byte) kind(1 byte) body
 * id       = length(u8) ASCII bytes           (1..128, [A-Za-z0-9_-])
 * name     = length(int) UTF-8 bytes          (0..MAX_NAME_BYTES)
 * value    = length(int) bytes
 * record   = id version(long) created(long) accessed(long) maxInactive(int) count(int) (name value)*
 * change   = id created(bool) created(long) accessed(long) maxInactive(int) count(int) (name value)* count(int) name*
 * fence    = token(long) release(bool)           token 0: no lock, release only with a token
 * lock     = token(long) lease(long) holder      token 0: never locked (lease 0, no holder); lease: ms it still
 *                                                runs, 0: released (no holder)
 * holder   = 0 | 1 mostSigBits(long) leastSigBits(long)    the holder's member UUID, if known
 * attempt  = 0 (missing) | 1 remaining(long) (held) | 2 token(long) version(long) (granted)
 * member   = mostSigBits(long) leastSigBits(long)           a member's UUID
 * pname    = length(int) UTF-8 bytes          a principal name: 1..256 characters, at most MAX_PRINCIPAL_BYTES
 * principal = 0 (none, or cleared) | 1 pname
 * summary  = id created(long) accessed(long) maxInactive(int) principal
 * </pre>
 * Leases and tokens of requests ({@code LOCK}, {@code RENEW}, {@code UNLOCK}) are positive; an access time is not
 * negative; a clock reading ({@code R_TIME}) is positive.
 *
 * <h2>The principal: a trailer, so that format 2 stays one format</h2>
 * A record's principal name and a change set's {@link PrincipalChange} travel as an optional {@code principal} after
 * everything else of the message that carries the record or change ({@link Out#principalTail},
 * {@link Out#principalChangeTail}, read with {@link In#principalTail}, {@link In#principalChangeTail}); a state page
 * carries one {@code principal} per record after its tombstones, only if one of its records has a name. Nothing
 * there means no name, or for a change "unchanged". So a message without a name is byte for byte what a node of the
 * previous release sends and reads, a message of such a node reads here as "no name", and a message with a name is
 * refused by such a node as having trailing bytes: dropped and logged, never read as something else.
 */
final class Wire {

    /** Bumped on any incompatible change; a message with another format byte is dropped. */
    static final byte FORMAT = 2;
    static final int MAX_NAME_BYTES = 64 * 1024;
    /** A principal name's UTF-8 bytes: 3 per character at most (a surrogate pair is 2 characters, 4 bytes). */
    static final int MAX_PRINCIPAL_BYTES = 3 * PrincipalChange.MAX_NAME_LENGTH;

    private Wire() {
    }

    /** Whether {@code id} can travel as an {@code id}: a well-formed session id without a route. */
    static boolean isId(String id) {
        return SessionIds.isWellFormed(id) && id.indexOf('.') < 0;
    }

    /** {@code r} indexed under {@code principal} (what the message's principal trailer said; null: none). */
    static SessionRecord withPrincipal(SessionRecord r, String principal) {
        return principal == null ? r : new SessionRecord(r.id(), r.version(), r.creationTime(), r.lastAccessedTime(),
                r.maxInactiveSeconds(), r.attributes(), principal);
    }

    /** Whether {@code s} has no unpaired surrogate, so that UTF-8 carries it unchanged. */
    static boolean isWellFormedUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes {@link Out#summary} writes for {@code s}. */
    static int summaryBytes(SessionSummary s) {
        int principal = s.principal() == null ? 1 : 1 + 4 + s.principal().getBytes(StandardCharsets.UTF_8).length;
        return 1 + s.id().length() + 8 + 8 + 4 + principal;
    }

    /** {@code c} with the principal change of the message's trailer (no copy when unchanged: the common case). */
    static ChangeSet withPrincipal(ChangeSet c, PrincipalChange change) {
        return change.changed() ? c.withPrincipal(change) : c;
    }

    /** A message that does not follow the format: dropped, with a rate-limited log line. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** Builds one message. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out(byte kind) {
            try {
                out.writeByte(FORMAT);
                out.writeByte(kind);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Out bool(boolean v) {
            return run(() -> out.writeBoolean(v));
        }

        Out i8(int v) {
            return run(() -> out.writeByte(v));
        }

        Out i32(int v) {
            return run(() -> out.writeInt(v));
        }

        Out i64(long v) {
            return run(() -> out.writeLong(v));
        }

        Out id(String id) {
            byte[] b = id.getBytes(StandardCharsets.US_ASCII);
            return run(() -> {
                out.writeByte(b.length);
                out.write(b);
            });
        }

        Out name(String name) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            return run(() -> {
                out.writeInt(b.length);
                out.write(b);
            });
        }

        Out value(byte[] v) {
            return run(() -> {
                out.writeInt(v.length);
                out.write(v);
            });
        }

        Out record(SessionRecord r) {
            id(r.id()).i64(r.version()).i64(r.creationTime()).i64(r.lastAccessedTime()).i32(r.maxInactiveSeconds());
            attributes(r.attributes());
            return this;
        }

        Out change(ChangeSet c) {
            id(c.id()).bool(c.created()).i64(c.creationTime()).i64(c.lastAccessedTime()).i32(c.maxInactiveSeconds());
            attributes(c.setAttributes());
            i32(c.removedAttributes().size());
            c.removedAttributes().forEach(this::name);
            return this;
        }

        /**
         * A principal name alone (the question of {@code SESSIONS_OF}).
         *
         * @throws StoreException if it is not well-formed UTF-16: UTF-8 would turn it into another name
         */
        Out principalName(String name) {
            if (!isWellFormedUtf16(name)) {
                throw new StoreException("a principal name with an unpaired surrogate cannot be indexed");
            }
            return name(name);
        }

        /** {@code principal}: a name, or 0 for none. */
        Out principal(String name) {
            return name == null ? i8(0) : i8(1).principalName(name);
        }

        /** The record's principal as the message's trailer: nothing when it has none. Written last. */
        Out principalTail(String name) {
            return name == null ? this : principal(name);
        }

        /** The change set's principal change as the message's trailer: nothing when unchanged. Written last. */
        Out principalChangeTail(PrincipalChange change) {
            return change.changed() ? principal(change.name()) : this;
        }

        Out summary(SessionSummary s) {
            id(s.id()).i64(s.creationTime()).i64(s.lastAccessedTime()).i32(s.maxInactiveSeconds());
            return principal(s.principal());
        }

        Out fence(Fence f) {
            return i64(f.token()).bool(f.release());
        }

        Out lock(LockState s) {
            i64(s.token()).i64(s.remainingMillis());
            if (s.holder() instanceof UUID u) { // JGroups' addresses; another kind travels as "not known"
                return bool(true).i64(u.getMostSignificantBits()).i64(u.getLeastSignificantBits());
            }
            return bool(false);
        }

        /** A member's UUID; only {@link UUID} addresses (JGroups' default) can travel. */
        Out member(UUID m) {
            return i64(m.getMostSignificantBits()).i64(m.getLeastSignificantBits());
        }

        Out attempt(LockAttempt a) {
            if (a instanceof LockAttempt.Granted g) {
                return i8(2).i64(g.token()).i64(g.version());
            }
            if (a instanceof LockAttempt.Held h) {
                return i8(1).i64(h.remainingMillis());
            }
            return i8(0);
        }

        private void attributes(Map<String, byte[]> attributes) {
            i32(attributes.size());
            attributes.forEach((n, v) -> name(n).value(v));
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private Out run(IoStep step) {
            try {
                step.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
            return this;
        }

        private interface IoStep {
            void run() throws IOException;
        }
    }

    /** Reads one message; every read is bounds-checked. */
    static final class In {
        private final ByteBuffer buf;
        final byte kind;

        In(byte[] message, int maxBytes) {
            if (message == null || message.length < 2) {
                throw new Malformed("message shorter than its header");
            }
            if (message.length > maxBytes) {
                throw new Malformed("message of " + message.length + " bytes, larger than " + maxBytes);
            }
            this.buf = ByteBuffer.wrap(message);
            byte format = buf.get();
            if (format != FORMAT) {
                throw new Malformed("unknown format " + format + " (expected " + FORMAT + ")");
            }
            this.kind = buf.get();
        }

        boolean bool() {
            byte b = get(1).get();
            if (b != 0 && b != 1) {
                throw new Malformed("bad boolean " + b);
            }
            return b == 1;
        }

        int i8() {
            return get(1).get() & 0xff;
        }

        int i32() {
            return get(4).getInt();
        }

        long i64() {
            return get(8).getLong();
        }

        /** A count of entries, each taking at least {@code minEntryBytes}: bounded by what is left. */
        int count(int minEntryBytes) {
            int n = i32();
            if (n < 0 || (long) n * minEntryBytes > buf.remaining()) {
                throw new Malformed("count " + n + " exceeds the message");
            }
            return n;
        }

        String id() {
            int length = i8();
            byte[] b = new byte[length];
            get(length).get(b);
            String id = new String(b, StandardCharsets.US_ASCII);
            if (!isId(id)) {
                throw new Malformed("malformed session id " + SessionIds.redact(id));
            }
            return id;
        }

        String name() {
            int length = i32();
            if (length < 0 || length > MAX_NAME_BYTES) {
                throw new Malformed("attribute name of " + length + " bytes");
            }
            return utf8(length, "attribute name");
        }

        /** A principal name: 1 to {@link PrincipalChange#MAX_NAME_LENGTH} characters of strict UTF-8. */
        String principalName() {
            int length = i32();
            if (length < 1 || length > MAX_PRINCIPAL_BYTES) {
                throw new Malformed("principal name of " + length + " bytes");
            }
            String name = utf8(length, "principal name");
            if (!PrincipalChange.isIndexable(name)) {
                throw new Malformed("principal name of " + name.length() + " characters");
            }
            return name;
        }

        /** {@code principal}: null for none. */
        String principal() {
            return switch (i8()) {
                case 0 -> null;
                case 1 -> principalName();
                default -> throw new Malformed("unknown principal tag");
            };
        }

        /** The principal trailer of a message carrying a record: null when there is none. Read last. */
        String principalTail() {
            return buf.hasRemaining() ? principal() : null;
        }

        /** The principal trailer of a message carrying a change set: unchanged when there is none. Read last. */
        PrincipalChange principalChangeTail() {
            if (!buf.hasRemaining()) {
                return PrincipalChange.UNCHANGED;
            }
            String name = principal();
            return name == null ? PrincipalChange.CLEARED : PrincipalChange.to(name);
        }

        boolean hasRemaining() {
            return buf.hasRemaining();
        }

        SessionSummary summary() {
            String id = id();
            long created = i64();
            long accessed = i64();
            int maxInactive = i32();
            return new SessionSummary(id, created, accessed, maxInactive, principal());
        }

        private String utf8(int length, String what) {
            byte[] b = new byte[length];
            get(length).get(b);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new Malformed(what + " is not UTF-8");
            }
        }

        byte[] value() {
            int length = i32();
            if (length < 0) {
                throw new Malformed("negative value length");
            }
            byte[] b = new byte[length];
            get(length).get(b);
            return b;
        }

        SessionRecord record() {
            String id = id();
            long version = i64();
            if (version < 1) {
                throw new Malformed("version " + version);
            }
            return new SessionRecord(id, version, i64(), i64(), i32(), attributes());
        }

        ChangeSet change() {
            String id = id();
            boolean created = bool();
            long creation = i64();
            long accessed = i64();
            int maxInactive = i32();
            Map<String, byte[]> set = attributes();
            int removedCount = count(4);
            Set<String> removed = new LinkedHashSet<>();
            for (int i = 0; i < removedCount; i++) {
                removed.add(name());
            }
            try {
                return new ChangeSet(id, created, creation, accessed, maxInactive, set, removed);
            } catch (IllegalArgumentException e) {
                throw new Malformed(e.getMessage());
            }
        }

        Fence fence() {
            long token = i64();
            boolean release = bool();
            if (token < 0 || (token == 0 && release)) {
                throw new Malformed("fence of token " + token + (release ? " with release" : ""));
            }
            return new Fence(token, release);
        }

        LockState lock() {
            long token = i64();
            long lease = i64();
            org.jgroups.Address holder = bool() ? new UUID(i64(), i64()) : null;
            try {
                return new LockState(token, lease, holder);
            } catch (IllegalArgumentException e) {
                throw new Malformed("lock state: " + e.getMessage());
            }
        }

        UUID member() {
            return new UUID(i64(), i64());
        }

        LockAttempt attempt() {
            return switch (i8()) {
                case 0 -> LockAttempt.MISSING;
                case 1 -> new LockAttempt.Held(positive("remaining lease"));
                case 2 -> new LockAttempt.Granted(positive("token"), positive("version"));
                default -> throw new Malformed("unknown lock answer");
            };
        }

        /** A fencing token, lease or version: at least 1. */
        long positive(String what) {
            long v = i64();
            if (v < 1) {
                throw new Malformed(what + " " + v);
            }
            return v;
        }

        /** An access time: epoch milliseconds, 0 for none. */
        long time() {
            long v = i64();
            if (v < 0) {
                throw new Malformed("access time " + v);
            }
            return v;
        }

        private Map<String, byte[]> attributes() {
            int n = count(8);
            Map<String, byte[]> attributes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = name();
                if (attributes.put(name, value()) != null) {
                    throw new Malformed("attribute name repeated");
                }
            }
            return attributes;
        }

        /** Fails unless the whole message was read: trailing bytes mean a sender that does not follow the format. */
        void end() {
            if (buf.hasRemaining()) {
                throw new Malformed(buf.remaining() + " trailing bytes");
            }
        }

        private ByteBuffer get(int n) {
            if (n > buf.remaining()) {
                throw new Malformed("truncated: " + n + " bytes needed, " + buf.remaining() + " left");
            }
            return buf;
        }
    }
}
