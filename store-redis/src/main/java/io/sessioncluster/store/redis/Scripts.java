package io.sessioncluster.store.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The store's Lua scripts. Each reads and changes one session hash ({@code KEYS[1]}) atomically; none touches
 * the expiry index, which is a separate key (see {@link RedisSessionStore}).
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
     * fencing token (0: none), release the lock (1|0), then that many field/value pairs, then the fields to delete.
     * Returns the new version, or a negative code. The access time never moves backwards: a slow request must not
     * shorten a session another node touched. An update with a token that is not the latest grant ({@code #f})
     * changes nothing.
     */
    static final LuaScript WRITE = new LuaScript("""
            local key = KEYS[1]
            local exists = redis.call('EXISTS', key) == 1
            if ARGV[1] == '1' then
              if exists then return -2 end
            elseif not exists then
              return -1
            elseif ARGV[7] ~= '0' and redis.call('HGET', key, '#f') ~= ARGV[7] then
              return -3
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
            local i = 9
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
            return version
            """, ScriptOutputType.INTEGER);

    /**
     * ARGV: access ms, grace ms. Only an existing session is touched, so a touch never creates a record.
     * Returns 1 if the session exists.
     */
    static final LuaScript TOUCH = new LuaScript("""
            local key = KEYS[1]
            if redis.call('EXISTS', key) == 0 then return 0 end
            """ + touchExisting(1, 2), ScriptOutputType.INTEGER);

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
     * touches as {@link #TOUCH} does, in one step. Returns 1 if the session exists.
     */
    static final LuaScript UNLOCK = new LuaScript("""
            local key = KEYS[1]
            if redis.call('EXISTS', key) == 0 then return 0 end
            if redis.call('HGET', key, '#f') == ARGV[1] then
              redis.call('HDEL', key, '#lx')
            end
            if ARGV[2] == '-1' then return 1 end
            """ + touchExisting(2, 3), ScriptOutputType.INTEGER);

    /**
     * No ARGV. Returns nil if the session is missing, else {DUMP, PTTL, #a, #m}, and deletes it in the same
     * atomic step, so the old id stops working at once.
     */
    static final LuaScript TAKE = new LuaScript("""
            local key = KEYS[1]
            local dump = redis.call('DUMP', key)
            if not dump then return false end
            local ttl = redis.call('PTTL', key)
            local h = redis.call('HMGET', key, '#a', '#m')
            redis.call('DEL', key)
            return {dump, ttl, h[1], h[2]}
            """, ScriptOutputType.MULTI);

    /**
     * The end of a touch of a hash known to exist: {@code #a} moves forward to {@code ARGV[access]} (never back) and
     * the TTL restarts from the grace {@code ARGV[grace]}; returns 1. Shared by {@link #TOUCH} and {@link #UNLOCK}.
     */
    private static String touchExisting(int access, int grace) {
        return """
                local stored = tonumber(redis.call('HGET', key, '#a'))
                if stored and stored >= tonumber(ARGV[%1$d]) then return 1 end
                redis.call('HSET', key, '#a', ARGV[%1$d])
                local m = tonumber(redis.call('HGET', key, '#m'))
                if m and m > 0 then
                  redis.call('PEXPIRE', key, string.format('%%d', m * 1000 + tonumber(ARGV[%2$d])))
                end
                return 1
                """.formatted(access, grace);
    }

    private Scripts() {
    }
}
