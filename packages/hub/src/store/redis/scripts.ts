/**
 * The Lua scripts that make the Redis store atomic. Keys: KEYS[1] the position counter,
 * KEYS[2] the stream (entry id `<position>-0`, fields i = update id, t = publish time in
 * ms from the Redis clock, u = the rest as JSON, b = the UTF-8 bytes of its data), KEYS[3]
 * the hash id -> position, KEYS[4] the sum of `b` over the stream (what size() reports).
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

-- An entry's data bytes; entries written before the field existed count 0.
local function bytes(entry)
  return tonumber(entry[2][8] or '0') or 0
end

local function expired(entry, cutoff)
  return cutoff ~= nil and tonumber(entry[2][4]) < cutoff
end

-- Deletes (from stream and hash) up to chunk of the oldest entries beyond maxCount or older
-- than cutoff. Reads 2, then 8, 32... entries at a time: the usual case (one or two to drop)
-- reads two entries, not a whole chunk.
local function trim(maxCount, cutoff, chunk)
  local below = floor(maxCount)
  local through, count, start, step, dropped = 0, 0, '-', 2, 0
  while count < chunk do
    local entries = redis.call('XRANGE', KEYS[2], start, '+', 'COUNT', math.min(step, chunk - count))
    if #entries == 0 then break end
    for _, entry in ipairs(entries) do
      if position(entry) > below and not expired(entry, cutoff) then
        entries = nil
        break
      end
      redis.call('HDEL', KEYS[3], entry[2][2])
      through, count, dropped = position(entry), count + 1, dropped + bytes(entry)
    end
    if entries == nil then break end
    start, step = string.format('%d-1', through), step * 4
  end
  if count > 0 then
    redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d', through + 1))
    redis.call('DECRBY', KEYS[4], dropped)
  end
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
 * Group commit: several appends (batches) in one call, each all or nothing.
 * ARGV: maxCount (0 = none), maxAgeMs (0 = none), chunk, then per batch its size n and
 * n triples of id, payload and the data's UTF-8 bytes. Returns {publishedAt, trimmed, r1, r2...}: per batch its first
 * position, or the id that made it a duplicate (then nothing of that batch was written).
 * A batch's checks run before its first write, so a rejected batch leaves no trace.
 */
export const APPEND = `${HELPERS}
local maxCount, maxAgeMs, chunk = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local at = now()
local at_text = string.format('%d', at)
local results = {at, 0}

local function duplicate(base, count)
  local seen = {}
  for i = 1, count do
    local id = ARGV[base + 3 * i - 2]
    if seen[id] or redis.call('HEXISTS', KEYS[3], id) == 1 then return id end
    seen[id] = true
  end
  return nil
end

local index = 4
while index <= #ARGV do
  local count = tonumber(ARGV[index])
  local dup = duplicate(index, count)
  if dup then
    table.insert(results, dup)
  else
    local first = redis.call('INCRBY', KEYS[1], count) - count + 1
    local added = 0
    for i = 1, count do
      local id, pos, size = ARGV[index + 3 * i - 2], first + i - 1, ARGV[index + 3 * i]
      redis.call('XADD', KEYS[2], string.format('%d-0', pos), 'i', id, 't', at_text, 'u', ARGV[index + 3 * i - 1], 'b', size)
      redis.call('HSET', KEYS[3], id, pos)
      added = added + tonumber(size)
    end
    redis.call('INCRBY', KEYS[4], added)
    table.insert(results, first)
  end
  index = index + 1 + 3 * count
end
results[2] = trim(maxCount, cutoff(at, maxAgeMs), chunk)
return results
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

/**
 * ARGV: maxCount, chunk. {updates kept, their data bytes}. The stream holds contiguous positions,
 * so the count is exact: its length, at most maxCount. The bytes are the running total less the
 * entries at or below the count floor that trimming has not reached yet, read at most `chunk` at
 * a time and 10 chunks in all, so a huge backlog (a smaller maxCount on a long stream) cannot
 * hold Redis: then bytes overcount until trimming catches up.
 */
export const SIZE = `${HELPERS}
local maxCount, chunk = tonumber(ARGV[1]), tonumber(ARGV[2])
local updates = redis.call('XLEN', KEYS[2])
if maxCount > 0 then updates = math.min(updates, maxCount) end
local total = tonumber(redis.call('GET', KEYS[4]) or '0')
local below, start = floor(maxCount), '-'
for _ = 1, 10 do
  if below <= 0 then break end
  local entries = redis.call('XRANGE', KEYS[2], start, string.format('%d-0', below), 'COUNT', chunk)
  for _, entry in ipairs(entries) do total = total - bytes(entry) end
  if #entries < chunk then break end
  start = string.format('%d-1', position(entries[#entries]))
end
return {updates, total}
`;
