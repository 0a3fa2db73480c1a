/**
 * The Lua scripts that make the Redis store atomic. Keys: KEYS[1] the position counter,
 * KEYS[2] the stream (entry id `<position>-0`, fields i = update id, t = publish time in
 * ms from the Redis clock, u = the rest as JSON), KEYS[3] the hash id -> position.
 * Retention trims the stream and the hash together, at most `chunk` entries per call.
 */

/** Lua helpers shared by every script: `position(entry)`, `floor(maxCount)`, `trim(...)`. */
const HELPERS = `
local function position(entry)
  return tonumber(string.match(entry[1], '^(%d+)'))
end

local function floor(maxCount)
  if maxCount <= 0 then return 0 end
  return tonumber(redis.call('GET', KEYS[1]) or '0') - maxCount
end

local function expired(entry, cutoff)
  return cutoff ~= nil and tonumber(entry[2][4]) < cutoff
end

-- Deletes (from stream and hash) up to chunk of the oldest entries beyond maxCount or older than cutoff.
local function trim(maxCount, cutoff, chunk)
  local below = floor(maxCount)
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
  if oldest == nil or (position(oldest) > below and not expired(oldest, cutoff)) then return 0 end
  local through, count = 0, 0
  for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', chunk)) do
    if position(entry) > below and not expired(entry, cutoff) then break end
    redis.call('HDEL', KEYS[3], entry[2][2])
    through, count = position(entry), count + 1
  end
  redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d', through + 1))
  return count
end

local function now()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function cutoff(at, maxAgeMs)
  if maxAgeMs <= 0 then return nil end
  return at - maxAgeMs
end
`;

/**
 * ARGV: maxCount (0 = none), maxAgeMs (0 = none), chunk, then id and payload per update.
 * Returns {0, id} for a duplicate id (nothing written) or {1, firstPosition, publishedAt, trimmed}.
 * Every check runs before the first write, so a rejected batch leaves no trace.
 */
export const APPEND = `${HELPERS}
local maxCount, maxAgeMs, chunk = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local count = (#ARGV - 3) / 2
local seen = {}
for i = 1, count do
  local id = ARGV[2 + 2 * i]
  if seen[id] or redis.call('HEXISTS', KEYS[3], id) == 1 then return {0, id} end
  seen[id] = true
end
local at = now()
local first = redis.call('INCRBY', KEYS[1], count) - count + 1
for i = 1, count do
  local id, at_text = ARGV[2 + 2 * i], string.format('%d', at)
  local pos = first + i - 1
  redis.call('XADD', KEYS[2], string.format('%d-0', pos), 'i', id, 't', at_text, 'u', ARGV[3 + 2 * i])
  redis.call('HSET', KEYS[3], id, pos)
end
return {1, first, at, trim(maxCount, cutoff(at, maxAgeMs), chunk)}
`;

/** ARGV: maxCount, maxAgeMs, chunk. Returns how many entries it trimmed. */
export const TRIM = `${HELPERS}
return trim(tonumber(ARGV[1]), cutoff(now(), tonumber(ARGV[2])), tonumber(ARGV[3]))
`;

/** ARGV: after, limit, maxCount. Entries after `after` still within maxCount (trimming may lag). */
export const READ_AFTER = `${HELPERS}
local start = math.max(tonumber(ARGV[1]), floor(tonumber(ARGV[3]))) + 1
return redis.call('XRANGE', KEYS[2], string.format('%d-0', start), '+', 'COUNT', tonumber(ARGV[2]))
`;

/** ARGV: id, maxCount. The kept position of an id, or false. */
export const POSITION_OF = `${HELPERS}
local pos = redis.call('HGET', KEYS[3], ARGV[1])
if not pos or tonumber(pos) <= floor(tonumber(ARGV[2])) then return false end
return tonumber(pos)
`;

/** ARGV: maxCount. {earliest kept position or 0, latest position}. */
export const BOUNDS = `${HELPERS}
local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(0, floor(tonumber(ARGV[1]))) + 1
local oldest = redis.call('XRANGE', KEYS[2], string.format('%d-0', start), '+', 'COUNT', 1)[1]
if oldest == nil then return {0, latest} end
return {position(oldest), latest}
`;
