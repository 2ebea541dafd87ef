package io.sessioncluster.store.redis;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.WriteResult;

import java.util.ArrayList;
import java.util.List;

/** The arguments of {@link Scripts#WRITE} for one change set, and the meaning of its reply; shared by write and writeAll. */
final class WriteArgs {

    private static final byte[] UNCHANGED = new byte[0];
    private static final byte[] CLEARED = HashLayout.ascii("-");

    private WriteArgs() {
    }

    static byte[][] of(ChangeSet changes, Fence fence, long graceMillis) {
        int maxInactive = changes.maxInactiveSeconds();
        List<byte[]> args = new ArrayList<>(
                9 + 2 * changes.setAttributes().size() + changes.removedAttributes().size());
        args.add(HashLayout.ascii(changes.created() ? "1" : "0"));
        args.add(HashLayout.ascii(changes.creationTime()));
        args.add(HashLayout.ascii(changes.lastAccessedTime()));
        args.add(HashLayout.ascii(maxInactive));
        args.add(HashLayout.ascii(ttlMillis(changes, graceMillis)));
        args.add(HashLayout.ascii(changes.setAttributes().size()));
        args.add(HashLayout.ascii(fence.token()));
        args.add(HashLayout.ascii(fence.release() ? "1" : "0"));
        args.add(principal(changes.principal()));
        changes.setAttributes().forEach((name, value) -> {
            args.add(HashLayout.attributeField(name));
            args.add(value);
        });
        changes.removedAttributes().forEach(name -> args.add(HashLayout.attributeField(name)));
        return args.toArray(byte[][]::new);
    }

    /** The TTL the script gives the hash: timeout plus grace, 0 for a session that never expires (no TTL). */
    static long ttlMillis(ChangeSet changes, long graceMillis) {
        int maxInactive = changes.maxInactiveSeconds();
        return maxInactive <= 0 ? 0 : maxInactive * 1000L + graceMillis;
    }

    /** The name a login indexes the session under, encoded; null unless the change set is a login. */
    static byte[] login(ChangeSet changes) {
        PrincipalChange principal = changes.principal();
        return principal.name() == null ? null : PrincipalNames.encode(principal.name());
    }

    private static byte[] principal(PrincipalChange change) {
        if (!change.changed()) {
            return UNCHANGED;
        }
        if (change.name() == null) {
            return CLEARED;
        }
        byte[] name = PrincipalNames.encode(change.name());
        byte[] arg = new byte[name.length + 1];
        arg[0] = '=';
        System.arraycopy(name, 0, arg, 1, name.length);
        return arg;
    }

    /**
     * The script's reply: the outcome, and the principal names (encoded, as stored in {@code #p}) it concerns.
     *
     * @param left            written: the name the session is no longer indexed under, or null
     * @param extend          written: the name it stays indexed under, whose entry is due for extension, or null
     * @param extensionMillis with {@code extend}: how long the entry must now live ({@code 0}: it never expires)
     * @param stored          refused: the name the stored session is indexed under, or null
     */
    record Reply(WriteResult result, byte[] left, byte[] extend, long extensionMillis, byte[] stored) {
    }

    static Reply reply(List<Object> reply) {
        long code = (Long) reply.get(0);
        if (code < 0) {
            return new Reply(result(code), null, null, 0, name(reply, 1));
        }
        byte[] extend = name(reply, 2);
        long extension = extend != null && reply.size() > 3 && reply.get(3) instanceof Long ms ? ms : 0;
        return new Reply(WriteResult.written(code), name(reply, 1), extend, extension, null);
    }

    private static byte[] name(List<Object> reply, int index) {
        return reply.size() > index && reply.get(index) instanceof byte[] name ? name : null;
    }

    static WriteResult result(long reply) {
        if (reply == Scripts.WRITE_MISSING) {
            return WriteResult.missing();
        }
        if (reply == Scripts.WRITE_FENCED) {
            return WriteResult.fenced();
        }
        return reply == Scripts.WRITE_EXISTS ? WriteResult.alreadyExists() : WriteResult.written(reply);
    }
}
