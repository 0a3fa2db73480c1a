/**
 * The Lua scripts of presence across nodes. KEYS[1] is the sorted set of nodes, scored by their
 * last heartbeat (ms, from the Redis clock, so that every node judges liveness alike); each node's
 * subscribers are in a hash `<hash prefix><node id>` (field = subscriber IRI, value = its entry as
 * JSON). The scripts reach the hashes by name: they share the sorted set's hash tag, hence its
 * Cluster slot, which is what lets one script touch them.
 */

/** Lua helpers: `now()` in ms from the Redis clock, `live(ttl)` the nodes heard from within ttl ms. */
const HELPERS = `
local function now()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local function live(ttl)
  return redis.call('ZRANGEBYSCORE', KEYS[1], now() - ttl, '+inf')
end
`;

/**
 * One node's heartbeat, and the reaper. KEYS[2] is the node's own hash. ARGV: node id, ttl (ms),
 * hash prefix, expiry of the own hash (ms), most dead nodes claimed per call, 1 to rewrite the own
 * hash whole from the field/value pairs that follow (else 0).
 *
 * Refreshes the node's score (and its hash's expiry, which only matters when no node is left to
 * reap it); then claims nodes not heard from within ttl: each is removed from the set and its hash
 * read and deleted in this one script, so exactly one node claims it.
 * Returns {1 when the node was not in the set (reaped, or Redis lost it), dead node ids, their entries}.
 */
export const BEAT = `${HELPERS}
local id, ttl, hashPrefix = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local at = now()
local missing = redis.call('ZADD', KEYS[1], at, id)
if ARGV[6] == '1' then
  redis.call('DEL', KEYS[2])
  for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (at - ttl), 'LIMIT', 0, tonumber(ARGV[5]))
local entries = {}
for _, node in ipairs(dead) do
  redis.call('ZREM', KEYS[1], node)
  local hash = hashPrefix .. node
  for _, entry in ipairs(redis.call('HVALS', hash)) do entries[#entries + 1] = entry end
  redis.call('DEL', hash)
end
return {missing, dead, entries}
`;

/**
 * The subscribers of the other live nodes. ARGV: the asking node's id (its own are in its memory),
 * ttl (ms), hash prefix, `list` (returns their entries) or `count` (returns how many).
 */
export const OTHERS = `${HELPERS}
local id, hashPrefix, count = ARGV[1], ARGV[3], 0
local entries = {}
for _, node in ipairs(live(tonumber(ARGV[2]))) do
  if node ~= id then
    if ARGV[4] == 'count' then
      count = count + redis.call('HLEN', hashPrefix .. node)
    else
      for _, entry in ipairs(redis.call('HVALS', hashPrefix .. node)) do entries[#entries + 1] = entry end
    end
  end
end
if ARGV[4] == 'count' then return count end
return entries
`;
