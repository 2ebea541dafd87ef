package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.store.SessionStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link SessionStore#page}: a walk over every session of the cluster in one order, the ids', whoever holds them. The
 * cursor is the last id of the page before ({@link WalkCursor}). For a page, every member answers the first
 * {@code limit} sessions it owns after that id ({@code PAGE(view cursor? limit)}, answered {@code R_PAGE}, from its
 * ordered ids, never a look at every session), and the asker keeps the first {@code limit} of them all. Where this
 * member holds every session and is not catching up after a merge (mode all), it reads its own copy instead.
 *
 * <h2>Why one order for the cluster, not a walk per member</h2>
 * Sessions move between members while an operator pages (a member joins and takes some, one leaves and its backups
 * take over): a walk member by member would miss a session that moved to a member already walked, and a cursor naming a
 * member that left would have nowhere to go on. Here a page is asked of whoever owns the sessions after the cursor at
 * that moment, so a session that lives through the whole walk is on a page: the page that goes past its id holds the
 * first {@code limit} ids of every owner, its owner's included. The cursor only grows, so a walk ends whoever comes or
 * goes; a member that leaves while it is asked makes the page be asked again of the newer picture ({@link EveryMember}).
 */
final class SessionWalk {

    private final LocalSessions local;
    private final Supplier<Topology> topology;
    private final EveryMember everyMember;
    private final BooleanSupplier holdsEverything;
    private final BooleanSupplier syncing;
    private final int maxMessageBytes;

    /**
     * @param holdsEverything whether this member's own copy answers (mode all, not after a merge)
     * @param syncing         whether this member still receives the state of a merge (then it answers RETRY)
     */
    SessionWalk(LocalSessions local, Supplier<Topology> topology, EveryMember everyMember,
                BooleanSupplier holdsEverything, BooleanSupplier syncing, int maxMessageBytes) {
        this.local = local;
        this.topology = topology;
        this.everyMember = everyMember;
        this.holdsEverything = holdsEverything;
        this.syncing = syncing;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** One member's answer: at most {@code limit} sessions in id order, and whether it has more after them. */
    record Slice(List<SessionSummary> sessions, boolean more) {
    }

    SessionPage page(String cursor, int limit) {
        SessionStore.requirePageLimit(limit);
        String after = WalkCursor.lastId(cursor);
        List<Slice> slices;
        if (holdsEverything.getAsBoolean()) {
            slices = List.of(slice(after, limit, id -> true));
        } else {
            slices = everyMember.ask(view -> {
                Wire.Out ask = new Wire.Out(Kind.PAGE).i64(view).bool(after != null);
                if (after != null) {
                    ask.id(after);
                }
                return ask.i32(limit).bytes();
            }, Kind.R_PAGE, in -> read(in, after, limit), "a page of the sessions");
        }
        return merge(slices, limit);
    }

    /**
     * The page of the members' slices: their first {@code limit} sessions in id order, and none past the last id of a
     * slice that has more after it (a member's slice may be cut short by the message size), so the page's last id is
     * below every session a member left out. It goes on (a next cursor) if a member has more, or the slices hold more.
     */
    static SessionPage merge(List<Slice> slices, int limit) {
        Map<String, SessionSummary> merged = new TreeMap<>();
        boolean more = false;
        String bound = null; // the lowest last id of a slice with more after it
        for (Slice slice : slices) {
            if (slice.more()) {
                more = true;
                String last = slice.sessions().get(slice.sessions().size() - 1).id();
                bound = bound == null || last.compareTo(bound) < 0 ? last : bound;
            }
            // While a session moves, its old and new owner may both answer: the later access wins.
            slice.sessions().forEach(s -> merged.merge(s.id(), s,
                    (a, b) -> b.lastAccessedTime() > a.lastAccessedTime() ? b : a));
        }
        List<SessionSummary> page = new ArrayList<>(Math.min(limit, merged.size()));
        for (SessionSummary s : merged.values()) {
            if (page.size() == limit || (bound != null && s.id().compareTo(bound) > 0)) {
                more = true;
                break;
            }
            page.add(s);
        }
        return new SessionPage(page, more ? WalkCursor.after(page.get(page.size() - 1).id()) : null);
    }

    /** A member's side: the first sessions it owns after the cursor's id, as many as one message holds. */
    byte[] answer(Wire.In in) {
        long view = in.i64();
        String after = in.bool() ? in.id() : null;
        int limit = in.i32();
        in.end();
        if (limit < 1 || limit > 1_000) {
            throw new Wire.Malformed("page of " + limit + " sessions");
        }
        Topology t = topology.get();
        if (syncing.getAsBoolean() || t.viewId() != view) {
            return OwnerSide.retry(); // the union is whole only from members of one view (EveryMember)
        }
        Topology owning = t.withSelfReady();
        Slice slice = fitted(slice(after, limit, owning::isPrimary));
        Wire.Out out = new Wire.Out(Kind.R_PAGE).bool(slice.more()).i32(slice.sessions().size());
        slice.sessions().forEach(out::summary);
        return out.bytes();
    }

    /** The slice cut to the message size (at least one session: one always fits), with more after it if cut. */
    private Slice fitted(Slice slice) {
        int bytes = 2 + 1 + 4; // header, more, count
        int n = 0;
        for (SessionSummary s : slice.sessions()) {
            bytes += Wire.summaryBytes(s);
            if (n > 0 && bytes > maxMessageBytes) {
                return new Slice(slice.sessions().subList(0, n), true);
            }
            n++;
        }
        return slice;
    }

    private Slice slice(String after, int limit, Predicate<String> include) {
        List<SessionSummary> sessions = local.inOrder(after, limit + 1, include);
        boolean more = sessions.size() > limit;
        return new Slice(more ? sessions.subList(0, limit) : sessions, more);
    }

    /** An {@code R_PAGE}: at most {@code limit} sessions after {@code after}, in id order, each once. */
    static Slice read(Wire.In in, String after, int limit) {
        boolean more = in.bool();
        int n = in.count(23); // the shortest summary: a 1-character id, no principal
        if (n > limit || (more && n == 0)) {
            throw new Wire.Malformed(n + " sessions on a page of " + limit + (more ? ", more after them" : ""));
        }
        List<SessionSummary> sessions = new ArrayList<>(n);
        String previous = after;
        for (int i = 0; i < n; i++) {
            SessionSummary s = in.summary();
            if (previous != null && s.id().compareTo(previous) <= 0) {
                throw new Wire.Malformed("a page out of id order");
            }
            previous = s.id();
            sessions.add(s);
        }
        in.end();
        return new Slice(sessions, more);
    }
}
