package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;
import org.jgroups.SuspectedException;
import org.jgroups.UnreachableException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * State transfer, used by a joining node and after a merge: the node asks every other member, page by page in id
 * order, for the sessions it will hold (all of them in mode all; those it owns or backs up in primary-backup)
 * with their lock states and principal names and, on the first page, every tombstone. What arrives is merged by
 * {@link LocalSessions#applyFull} (newer version wins, tombstones win, locks merge by token) and
 * {@link LocalSessions#tombstone}.
 */
final class StateTransfer {

    /** Attribute bytes per page: keeps each answer far below any sane message limit. */
    private static final int PAGE_BYTES = 4 << 20;
    private static final System.Logger LOG = Loggers.of(StateTransfer.class);

    private final LocalSessions local;
    private final Messaging messaging;
    private final Replication replication;
    private final long timeoutMillis;
    private final int maxMessageBytes;
    private final Consumer<Address> readyMember;

    StateTransfer(LocalSessions local, Messaging messaging, Replication replication, long timeoutMillis,
                  int maxMessageBytes, Consumer<Address> readyMember) {
        this.local = local;
        this.messaging = messaging;
        this.replication = replication;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
        this.readyMember = readyMember;
    }

    /** Pulls what this node should hold from each of {@code from}; reports the members that said they are ready. */
    void pull(Collection<Address> from) {
        for (Address member : from) {
            String cursor = null;
            try {
                while (true) {
                    Wire.Out ask = new Wire.Out(Kind.STATE).bool(cursor != null);
                    if (cursor != null) {
                        ask.id(cursor);
                    }
                    Page page = read(messaging.call(member, ask.bytes(), timeoutMillis), maxMessageBytes);
                    // Applied once the whole page was read: a malformed page changes nothing.
                    for (int i = 0; i < page.records().size(); i++) {
                        local.applyFull(page.records().get(i), false, page.locks().get(i));
                        cursor = page.records().get(i).id();
                    }
                    page.tombstones().forEach(local::tombstone);
                    if (page.ready()) {
                        readyMember.accept(member);
                    }
                    if (!page.more() || page.records().isEmpty()) {
                        break;
                    }
                }
            } catch (SuspectedException | UnreachableException e) {
                LOG.log(System.Logger.Level.DEBUG, "{0} left during state transfer", member);
            } catch (Exception e) {
                throw new StoreUnavailableException("state transfer from " + member + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** One answer to {@code STATE}: records with their locks (and principals), tombstones, and whether more follow. */
    record Page(boolean ready, boolean more, List<SessionRecord> records, List<LockState> locks,
                Map<String, Long> tombstones) {
    }

    /** Reads a whole {@code R_STATE}, the principals' trailer included (see {@link Wire}). */
    static Page read(byte[] answer, int maxMessageBytes) {
        Wire.In in = new Wire.In(answer, maxMessageBytes);
        if (in.kind != Kind.R_STATE) {
            throw new Wire.Malformed("unexpected answer " + in.kind + " to a state request");
        }
        boolean ready = in.bool();
        boolean more = in.bool();
        int n = in.count(8);
        List<SessionRecord> records = new ArrayList<>(n);
        List<LockState> locks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(in.record());
            locks.add(in.lock());
        }
        int count = in.count(9);
        Map<String, Long> tombstones = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            tombstones.merge(in.id(), in.i64(), Math::max);
        }
        if (in.hasRemaining()) { // one principal per record, sent when one of them has a name
            if (in.i32() != n) {
                throw new Wire.Malformed("principals of a state page are not one per record");
            }
            for (int i = 0; i < n; i++) {
                records.set(i, Wire.withPrincipal(records.get(i), in.principal()));
            }
        }
        in.end();
        return new Page(ready, more, records, locks, tombstones);
    }

    /** One page of what {@code requester} should hold, after the cursor in id order; tombstones on the first page. */
    byte[] page(Address requester, Wire.In in, Topology topology, boolean selfReady) {
        String cursor = in.bool() ? in.id() : null;
        in.end();
        Topology t = topology.withReadyMember(requester);
        List<String> ids = new ArrayList<>();
        for (SessionRecord r : local.all()) {
            if ((cursor == null || r.id().compareTo(cursor) > 0)
                    && (replication == Replication.ALL || t.isOwner(requester, r.id()))) {
                ids.add(r.id());
            }
        }
        ids.sort(null);
        List<SessionRecord> page = new ArrayList<>();
        long bytes = 0;
        boolean more = false;
        for (String id : ids) {
            Optional<SessionRecord> r = local.get(id);
            if (r.isEmpty()) {
                continue;
            }
            if (!page.isEmpty() && bytes + r.get().attributeBytes() > PAGE_BYTES) {
                more = true;
                break;
            }
            page.add(r.get());
            bytes += r.get().attributeBytes();
        }
        Wire.Out out = new Wire.Out(Kind.R_STATE).bool(selfReady).bool(more).i32(page.size());
        page.forEach(r -> out.record(r).lock(local.locks().state(r.id())));
        if (cursor == null) {
            Map<String, Long> tombstones = Map.copyOf(local.tombstones());
            out.i32(tombstones.size());
            tombstones.forEach((id, until) -> out.id(id).i64(until));
        } else {
            out.i32(0);
        }
        if (page.stream().anyMatch(r -> r.principal() != null)) {
            out.i32(page.size());
            page.forEach(r -> out.principal(r.principal()));
        }
        return out.bytes();
    }
}
