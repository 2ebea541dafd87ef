package io.sessioncluster.store.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The store's Lua scripts. Each reads and changes one key ({@code KEYS[1]}) atomically, so each runs on Redis
 * Cluster: most a session hash, {@link #INDEX} and {@link #MEMBERS} a principal name's index and {@link #WALK} the
 * expiry index. None touches two keys: a session and its indexes live in different slots (see
 * {@link RedisSessionStore}).
 *
 * <p>Numbers that Lua computes are formatted with {@code %d} before they go back to Redis: Redis would print a
 * large Lua number such as an epoch millisecond value in exponent notation.
 */
final class Scripts {

    /** Result codes of {@link #WRITE} below zero. */
    static final long WRITE_MISSING = -1;
    static final long WRITE_EXISTS = -2;
    static final long WRITE_FENCED = -3;

    /**
     * ARGV: created (1|0), creation ms, access ms, max inactive s, TTL ms (0: no TTL), number of set attributes,
     * fencing token (0: none), release the lock (1|0), the principal change ({@code ''} unchanged, {@code -} cleared,
     * {@code =name} indexed under name), then that many field/value pairs, then the fields to delete.
     * Returns {new version, the name the session left or false, the name whose entry is due for extension or false,
     * the extension in ms}, or {negative code, the stored {@code #p} or false}. The access time never moves
     * backwards: a slow request must not shorten a session another node touched. An update with a token that is not
     * the latest grant ({@code #f}) changes nothing. The names tell the caller which principal indexes to update: the
     * one left (a log-out or another login), and the one kept, only when the new TTL passes the extension recorded in
     * {@code #pe} ({@link #extendIfDue}). A login records half the extension its entry, sent with the script, got.
     */
    static final LuaScript WRITE = new LuaScript("""
            local key = KEYS[1]
            local exists = redis.call('EXISTS', key) == 1
            if ARGV[1] == '1' then
              if exists then return {-2, redis.call('HGET', key, '#p')} end
            elseif not exists then
              return {-1}
            elseif ARGV[7] ~= '0' and redis.call('HGET', key, '#f') ~= ARGV[7] then
              return {-3, redis.call('HGET', key, '#p')}
            end
            if ARGV[8] == '1' then
              redis.call('HDEL', key, '#lx')
            end
            local version = redis.call('HINCRBY', key, '#v', 1)
            local stored = tonumber(redis.call('HGET', key, '#a'))
            if not stored or stored < tonumber(ARGV[3]) then
              redis.call('HSET', key, '#a', ARGV[3])
            end
            redis.call('HSET', key, '#c', ARGV[2], '#m', ARGV[4])
            local old = redis.call('HGET', key, '#p')
            local name = old
            if ARGV[9] == '-' then
              name = false
              redis.call('HDEL', key, '#p')
            elseif ARGV[9] ~= '' then
              name = string.sub(ARGV[9], 2)
              redis.call('HSET', key, '#p', name)
            end
            local i = 10
            for _ = 1, tonumber(ARGV[6]) do
              redis.call('HSET', key, ARGV[i], ARGV[i + 1])
              i = i + 2
            end
            for j = i, #ARGV do
              redis.call('HDEL', key, ARGV[j])
            end
            if ARGV[5] == '0' then
              redis.call('PERSIST', key)
            else
              redis.call('PEXPIRE', key, ARGV[5])
            end
            local left = old and old ~= name and old
            if not name then
              if old then redis.call('HDEL', key, '#pe') end
              return {version, left}
            end
            local ttl = tonumber(ARGV[5])
            local lead = """ + lead("tonumber(ARGV[4])") + now() + """
            if name ~= old then
              -- A login: its entry went out beside this script (on Cluster to another node, which may run it a
              -- moment before or after), so count on half its lead only.
              local mark = 'inf'
              if ttl > 0 then mark = string.format('%d', now + ttl + math.floor(lead / 2)) end
              redis.call('HSET', key, '#pe', mark)
              return {version, left}
            end
            local pe = redis.call('HGET', key, '#pe')
            """ + extendIfDue() + """
            if due then return {version, false, name, extension} end
            return {version}
            """, ScriptOutputType.MULTI);

    /**
     * ARGV: access ms, grace ms. Only an existing session is touched, so a touch never creates a record.
     * Returns {0} if the session is missing, else what {@link #touchExisting} returns.
     */
    static final LuaScript TOUCH = new LuaScript("""
            local key = KEYS[1]
            if redis.call('EXISTS', key) == 0 then return {0} end
            """ + touchExisting(1, 2), ScriptOutputType.MULTI);

    /**
     * ARGV: now ms. Returns {0} if gone, {1, #a, #m} if alive, {2, HGETALL} if expired (and deletes it: the
     * decision and the deletion are one atomic step, so exactly one caller wins), {3} if the metadata is not
     * numeric (the record is left alone for its TTL).
     */
    static final LuaScript CLAIM = new LuaScript("""
            local key = KEYS[1]
            if redis.call('EXISTS', key) == 0 then return {0} end
            local h = redis.call('HMGET', key, '#a', '#m', '#v', '#c')
            for i = 1, 4 do
              if not h[i] or not string.match(h[i], '^%-?%d+$') then return {3} end
            end
            local m = tonumber(h[2])
            if m <= 0 or tonumber(ARGV[1]) < tonumber(h[1]) + m * 1000 then
              return {1, h[1], h[2]}
            end
            local all = redis.call('HGETALL', key)
            redis.call('DEL', key)
            return {2, all}
            """, ScriptOutputType.MULTI);

    /**
     * ARGV: lease ms. The lock lives in the session hash ({@code #f}: the latest grant's token, {@code #lx}: when its
     * lease ends, by the Redis server's clock, absent once released), so it moves with {@code changeId}, ends with the
     * session and works on Redis Cluster. Returns {0} if the session is missing, {2, ms left} while a lease runs,
     * {1, token, #v} when granted, {3} if the version or the lease field is not numeric (nothing granted).
     */
    static final LuaScript LOCK = new LuaScript("""
            local key = KEYS[1]
            local h = redis.call('HMGET', key, '#v', '#lx')
            if not h[1] then return {0} end
            if not string.match(h[1], '^%d+$') then return {3} end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            if h[2] then
              local ends = tonumber(h[2])
              if not ends then return {3} end
              if ends > now then return {2, ends - now} end
            end
            local token = redis.call('HINCRBY', key, '#f', 1)
            redis.call('HSET', key, '#lx', string.format('%d', now + tonumber(ARGV[1])))
            return {1, token, h[1]}
            """, ScriptOutputType.MULTI);

    /** ARGV: token, lease ms. Returns 1 if the lease was extended, 0 if the token is not the latest grant. */
    static final LuaScript RENEW = new LuaScript("""
            local key = KEYS[1]
            if redis.call('HGET', key, '#f') ~= ARGV[1] then return 0 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('HSET', key, '#lx', string.format('%d', now + tonumber(ARGV[2])))
            return 1
            """, ScriptOutputType.INTEGER);

    /**
     * ARGV: token, access ms (-1: no touch), grace ms. Releases the lock if the token is the latest grant, and
     * touches as {@link #TOUCH} does, in one step. Returns as {@link #TOUCH} does.
     */
    static final LuaScript UNLOCK = new LuaScript("""
            local key = KEYS[1]
            if redis.call('EXISTS', key) == 0 then return {0} end
            if redis.call('HGET', key, '#f') == ARGV[1] then
              redis.call('HDEL', key, '#lx')
            end
            if ARGV[2] == '-1' then return {1} end
            """ + touchExisting(2, 3), ScriptOutputType.MULTI);

    /**
     * No ARGV. Returns nil if the session is missing, else {DUMP, PTTL, #a, #m, #p}, and deletes it in the same
     * atomic step, so the old id stops working at once. The dump leaves out {@code #pe}: it is this node's clock, and
     * the new id's entry in the name's set gets only the session's TTL; the next write or touch extends it.
     */
    static final LuaScript TAKE = new LuaScript("""
            local key = KEYS[1]
            redis.call('HDEL', key, '#pe')
            local dump = redis.call('DUMP', key)
            if not dump then return false end
            local ttl = redis.call('PTTL', key)
            local h = redis.call('HMGET', key, '#a', '#m', '#p')
            redis.call('DEL', key)
            return {dump, ttl, h[1], h[2], h[3]}
            """, ScriptOutputType.MULTI);

    /**
     * ARGV: a name's bytes. Whether the session {@code KEYS[1]} is indexed under that name and not expired by this
     * Redis node's clock: 1 or 0 (also for a session that is gone). What {@code sessionsOf} answers for one member of
     * the name's index.
     */
    static final LuaScript IS_OF = new LuaScript("""
            local h = redis.call('HMGET', KEYS[1], '#p', '#a', '#m')
            if h[1] ~= ARGV[1] then return 0 end
            local a, m = tonumber(h[2]), tonumber(h[3])
            if not a or not m then return 0 end
            if m > 0 then
              local t = redis.call('TIME')
              if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) >= a + m * 1000 then return 0 end
            end
            return 1
            """, ScriptOutputType.INTEGER);

    /**
     * On a principal name's index ({@code KEYS[1]}, a sorted set of session ids scored by the time, on this node's
     * clock, until which each may live). ARGV: a member to remove or {@code ''}, a member to add or {@code ''}, how
     * long it may live in ms ({@code 0}: it never expires), {@code GT} to only ever raise its score or {@code ''} to
     * set it. {@code GT} is for an entry sent before the session's own script: that script may refuse the write, which
     * must not shorten the entry of the session that is there. Then {@link #settle}; returns how many members remain.
     */
    static final LuaScript INDEX = new LuaScript("""
            local key = KEYS[1]
            """ + now() + """
            if ARGV[1] ~= '' then redis.call('ZREM', key, ARGV[1]) end
            if ARGV[2] ~= '' then
              local score = '+inf'
              if ARGV[3] ~= '0' then score = string.format('%d', now + tonumber(ARGV[3])) end
              if ARGV[4] == 'GT' then
                redis.call('ZADD', key, 'GT', score, ARGV[2])
              else
                redis.call('ZADD', key, score, ARGV[2])
              end
            end
            """ + settle() + """
            return redis.call('ZCARD', key)
            """, ScriptOutputType.INTEGER);

    /** No ARGV. {@link #settle}s a principal name's index ({@code KEYS[1]}) and returns its members. */
    static final LuaScript MEMBERS = new LuaScript("""
            local key = KEYS[1]
            """ + now() + settle() + """
            return redis.call('ZRANGE', key, 0, -1)
            """, ScriptOutputType.MULTI);

    /**
     * On the expiry index ({@code KEYS[1]}): one step of {@code page}'s walk in (score, member) order. ARGV: the
     * score of the last member seen ({@code ''} at the start), how many members after it. Returns {the members
     * with exactly that score, in member order, for the caller to skip those up to the last one seen; members and
     * scores after that score}.
     */
    static final LuaScript WALK = new LuaScript("""
            local key = KEYS[1]
            if ARGV[1] == '' then
              return {{}, redis.call('ZRANGEBYSCORE', key, '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, ARGV[2])}
            end
            return {redis.call('ZRANGEBYSCORE', key, ARGV[1], ARGV[1]),
                    redis.call('ZRANGEBYSCORE', key, '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, ARGV[2])}
            """, ScriptOutputType.MULTI);

    /**
     * The end of a touch of a hash known to exist: {@code #a} moves forward to {@code ARGV[access]} (never back) and
     * the TTL restarts from the grace {@code ARGV[grace]}. Returns {1, the extension in ms, #p} when the session is
     * indexed under a name whose entry is due for extension ({@link #extendIfDue}), else {1}. Shared by
     * {@link #TOUCH} and {@link #UNLOCK}.
     */
    private static String touchExisting(int access, int grace) {
        return """
                local stored = tonumber(redis.call('HGET', key, '#a'))
                if stored and stored >= tonumber(ARGV[%1$d]) then return {1} end
                redis.call('HSET', key, '#a', ARGV[%1$d])
                local h = redis.call('HMGET', key, '#m', '#p', '#pe')
                local m = tonumber(h[1])
                if not m or m <= 0 then return {1} end
                local ttl = m * 1000 + tonumber(ARGV[%2$d])
                redis.call('PEXPIRE', key, string.format('%%d', ttl))
                if not h[2] then return {1} end
                local pe = h[3]
                local lead = """.formatted(access, grace) + lead("m") + now() + extendIfDue() + """
                if due then return {1, extension, h[2]} end
                return {1}
                """;
    }

    /**
     * Whether the entry of a session hash {@code key} in its name's set is due for extension: the set is extended
     * ahead, and {@code #pe} records until when (this node's clock, epoch ms; {@code inf}: never expires), so that
     * most writes and touches need not reach the set. Due when the hash's new TTL passes that time, when it has none
     * and the entry has one, or when the entry outlives the hash by more than two leads (the timeout shrank). If due,
     * records the new extension, the TTL plus the lead ({@code 0}: none), which the caller must then give the entry.
     * Needs {@code key}, {@code now}, {@code ttl} (ms, 0: none), {@code lead} (ms) and {@code pe} ({@code #pe}).
     */
    private static String extendIfDue() {
        return """
                local due, mark, extension = pe ~= 'inf', 'inf', 0
                if ttl > 0 then
                  local expires = now + ttl
                  local upto = pe and string.match(pe, '^%d+$') and tonumber(pe)
                  due = not upto or expires > upto or expires + 2 * lead < upto
                  mark, extension = string.format('%d', expires + lead), ttl + lead
                end
                if due then redis.call('HSET', key, '#pe', mark) end
                """;
    }

    /** How far ahead a name's set is extended, in ms, for a timeout of {@code seconds}: {@link PrincipalIndex#leadMillis}. */
    private static String lead(String seconds) {
        return "math.max(" + seconds + " * 1000, " + PrincipalIndex.MIN_LEAD_MILLIS + ")\n";
    }

    /** Sets {@code now}: this node's clock, epoch ms. */
    private static String now() {
        return """
                local t = redis.call('TIME')
                local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
                """;
    }

    /**
     * Tidies a principal name's index {@code key} at {@code now}: members whose time is up are dropped (their session's
     * hash has reached its own TTL), and the key expires with its longest-living member, or never if one never
     * expires. An index left empty is gone (Redis deletes an empty sorted set): nothing of the name remains.
     */
    private static String settle() {
        return """
                redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
                local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
                if top[2] == 'inf' then
                  redis.call('PERSIST', key)
                elseif top[2] then
                  redis.call('PEXPIREAT', key, string.format('%d', tonumber(top[2])))
                end
                """;
    }

    private Scripts() {
    }
}
