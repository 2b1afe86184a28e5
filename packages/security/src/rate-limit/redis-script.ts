import { createHash } from "node:crypto";

/**
 * Entries that the script reads at most from each end of a window's log
 * to compute `retryAfterMs` of a rejected request. The bound keeps the
 * work of one call, and so the time that Redis is blocked, independent
 * of the log's length.
 */
export const MAX_WAIT_SCAN_ENTRIES = 1000;

/**
 * Lua script of {@link RedisRateLimitStore}, run once per call, so Redis
 * checks and charges all windows of the call atomically.
 *
 * KEYS contains two keys per window: its log, a sorted set whose scores are
 * entry times in ms and whose members are `<cost>:<call id>`, and its
 * running total of costs. The call id is random per call, so members are
 * unique even when two requests of the same cost arrive in the same ms.
 *
 * ARGV, as decimal strings:
 * 1. the time in ms, or an empty string to read the Redis server's TIME,
 * 2. the call id,
 * 3. `1` for a dry run, else `0`,
 * 4. then limit, window in ms and cost for each window.
 *
 * Reply: the time used, 1 if admitted else 0, then four integers per
 * window. They are 1 if its cost fits else 0, the points counted, the
 * reset time, and the ms until the cost fits, or -1 when the cost is
 * above the limit. That wait is exact when the log has at most
 * 2 × {@link MAX_WAIT_SCAN_ENTRIES} entries, and may be an upper bound
 * beyond.
 *
 * Work: pruning reads each entry once, in the first call after it
 * expires, and finding the wait of a rejected window reads at most
 * 2 × {@link MAX_WAIT_SCAN_ENTRIES} entries. Only rebuilding a missing
 * total reads the whole log.
 */
export const RATE_LIMIT_SCRIPT = `
local function read_now()
  if ARGV[1] ~= "" then
    return tonumber(ARGV[1])
  end
  -- Redis 3.2 and 4.x reject writes after TIME unless the script switches
  -- to effects replication, which is the default from 5.0 on.
  if redis.replicate_commands then
    redis.replicate_commands()
  end
  local time = redis.call("TIME")
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function cost_of(member)
  return tonumber(string.match(member, "^(%d+):"))
end

-- Sets both keys of a window to expire when its newest entry stops
-- counting, also when another server's clock wrote that entry ahead of
-- this one.
local function expire_keys(log, total, window, now)
  local newest = redis.call("ZRANGE", log, -1, -1, "WITHSCORES")
  local ttl = math.max(window, tonumber(newest[2]) + window - now)
  redis.call("PEXPIRE", log, ttl)
  redis.call("PEXPIRE", total, ttl)
end

-- Removes the entries that no longer count and returns the points the
-- rest count. Rebuilds the total from the log when it is missing.
local function prune(log, total, window, now)
  local cutoff = now - window
  local used = tonumber(redis.call("GET", total) or "")
  if used == nil then
    redis.call("ZREMRANGEBYSCORE", log, "-inf", cutoff)
    used = 0
    for _, member in ipairs(redis.call("ZRANGE", log, 0, -1)) do
      used = used + cost_of(member)
    end
    if used > 0 then
      redis.call("SET", total, used)
      expire_keys(log, total, window, now)
    end
    return used
  end
  local expired = redis.call("ZRANGEBYSCORE", log, "-inf", cutoff)
  if #expired > 0 then
    local freed = 0
    for _, member in ipairs(expired) do
      freed = freed + cost_of(member)
    end
    redis.call("ZREMRANGEBYSCORE", log, "-inf", cutoff)
    used = redis.call("DECRBY", total, freed)
  end
  -- A total without a log is left over from an evicted log.
  if used > 0 and redis.call("EXISTS", log) == 0 then
    redis.call("DEL", total)
    used = 0
  end
  return used
end

-- Returns the ms until enough of the oldest entries leave the window for
-- a request of this cost to fit. The entry to wait for is the first one
-- from the oldest end at which the freed points reach used + cost - limit,
-- which is also the first one from the newest end at which the points
-- kept pass limit - cost. Reading at most MAX_WAIT_SCAN_ENTRIES
-- (${MAX_WAIT_SCAN_ENTRIES}) entries from each end finds it in any log of
-- up to twice that many entries. In a longer log it may lie between the
-- two reads, and then the wait until the oldest entry of the newest read
-- leaves is an upper bound.
local function wait_for(log, used, cost, limit, window, now)
  local needed = used + cost - limit
  local freed = 0
  local oldest = redis.call("ZRANGE", log, 0, ${MAX_WAIT_SCAN_ENTRIES - 1}, "WITHSCORES")
  for index = 1, #oldest, 2 do
    freed = freed + cost_of(oldest[index])
    if freed >= needed then
      return tonumber(oldest[index + 1]) + window - now
    end
  end
  local room = limit - cost
  local kept = 0
  local newest = redis.call("ZRANGE", log, -${MAX_WAIT_SCAN_ENTRIES}, -1, "WITHSCORES")
  for index = #newest - 1, 1, -2 do
    kept = kept + cost_of(newest[index])
    if kept > room then
      return tonumber(newest[index + 1]) + window - now
    end
  end
  return tonumber(newest[2]) + window - now
end

local function charge(log, total, cost, window, now, member)
  redis.call("ZADD", log, now, member)
  local used = redis.call("INCRBY", total, cost)
  expire_keys(log, total, window, now)
  return used
end

local now = read_now()
local call_id = ARGV[2]
local dry_run = ARGV[3] == "1"
local count = #KEYS / 2
local used = {}
local allowed = 1

for i = 1, count do
  local limit = tonumber(ARGV[3 * i + 1])
  local window = tonumber(ARGV[3 * i + 2])
  local cost = tonumber(ARGV[3 * i + 3])
  used[i] = prune(KEYS[2 * i - 1], KEYS[2 * i], window, now)
  if used[i] + cost > limit then
    allowed = 0
  end
end

local reply = { now, allowed }
for i = 1, count do
  local log = KEYS[2 * i - 1]
  local total = KEYS[2 * i]
  local limit = tonumber(ARGV[3 * i + 1])
  local window = tonumber(ARGV[3 * i + 2])
  local cost_text = ARGV[3 * i + 3]
  local cost = tonumber(cost_text)
  local fits = used[i] + cost <= limit
  local wait = 0
  if allowed == 1 and not dry_run and cost > 0 then
    used[i] = charge(log, total, cost, window, now, cost_text .. ":" .. call_id)
  elseif not fits then
    if cost > limit then
      wait = -1
    else
      wait = wait_for(log, used[i], cost, limit, window, now)
    end
  end
  if used[i] == 0 then
    redis.call("DEL", log, total)
  end
  local reset_at = now
  local oldest = redis.call("ZRANGE", log, 0, 0, "WITHSCORES")
  if #oldest > 0 then
    reset_at = tonumber(oldest[2]) + window
  end
  local fits_flag = 0
  if fits then
    fits_flag = 1
  end
  table.insert(reply, fits_flag)
  table.insert(reply, used[i])
  table.insert(reply, reset_at)
  table.insert(reply, wait)
end
return reply
`;

/** SHA-1 of {@link RATE_LIMIT_SCRIPT}, the name EVALSHA runs it by. */
export const RATE_LIMIT_SCRIPT_SHA = createHash("sha1")
  .update(RATE_LIMIT_SCRIPT)
  .digest("hex");
