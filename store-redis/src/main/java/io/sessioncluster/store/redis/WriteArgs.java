package io.sessioncluster.store.redis;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.WriteResult;

import java.util.ArrayList;
import java.util.List;

/** The arguments of {@link Scripts#WRITE} for one change set, and the meaning of its reply; shared by write and writeAll. */
final class WriteArgs {

    private WriteArgs() {
    }

    static byte[][] of(ChangeSet changes, Fence fence, long graceMillis) {
        int maxInactive = changes.maxInactiveSeconds();
        List<byte[]> args = new ArrayList<>(8 + 2 * changes.setAttributes().size() + changes.removedAttributes().size());
        args.add(HashLayout.ascii(changes.created() ? "1" : "0"));
        args.add(HashLayout.ascii(changes.creationTime()));
        args.add(HashLayout.ascii(changes.lastAccessedTime()));
        args.add(HashLayout.ascii(maxInactive));
        args.add(HashLayout.ascii(maxInactive <= 0 ? 0 : maxInactive * 1000L + graceMillis));
        args.add(HashLayout.ascii(changes.setAttributes().size()));
        args.add(HashLayout.ascii(fence.token()));
        args.add(HashLayout.ascii(fence.release() ? "1" : "0"));
        changes.setAttributes().forEach((name, value) -> {
            args.add(HashLayout.attributeField(name));
            args.add(value);
        });
        changes.removedAttributes().forEach(name -> args.add(HashLayout.attributeField(name)));
        return args.toArray(byte[][]::new);
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
