// The session cache's Redis side, one atomic script per operation. Layout (prefix `latchkey:`):
//   latchkey:sc:epoch               counter, +1 on every invalidation (the fill fence); it lives a
//                                   day after the last one: a fill whose ticket outlived a reset
//                                   sees a different value and is dropped, as it should be
//   latchkey:sc:v1:s:<session id>   hash { d: entry JSON, seen: lastSeenAt ms }, with a TTL
//   latchkey:sc:v1:u:<user id>      set of that user's cached session ids, with a TTL
//   latchkey:sc:invalidate          pub/sub channel: {"s": [session ids], "u": [user ids]}
// The scripts build key names from a prefix argument, which standalone Redis (and Sentinel)
// allow and Redis Cluster does not: this cache needs one Redis primary.
import { defineScript } from './connection.js'

/** The entry, its lastSeenAt and the epoch, read at one instant. */
export const READ = defineScript(`
local fields = redis.call('HMGET', KEYS[1], 'd', 'seen')
return {fields[1], fields[2], redis.call('GET', KEYS[2])}
`)

/**
 * Stores an entry only if no invalidation happened since the reader took its ticket (the epoch
 * is unchanged); returns 1 when stored.
 */
export const FILL = defineScript(`
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'd', ARGV[2], 'seen', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1
`)

/** Moves `seen` forward on an existing entry; never creates one, never moves it back. */
export const TOUCH = defineScript(`
local seen = redis.call('HGET', KEYS[1], 'seen')
if seen and tonumber(seen) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'seen', ARGV[1])
  return 1
end
return 0
`)

/**
 * Bumps the epoch, deletes the named sessions' entries and every entry of the named users, and
 * publishes the same change to every node, all in one step.
 * ARGV: session key prefix, user key prefix, channel, message, number of session ids, session
 * ids…, user ids…
 */
export const INVALIDATE = defineScript(`
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], 86400000)
local sessionPrefix, userPrefix = ARGV[1], ARGV[2]
local sessionCount = tonumber(ARGV[5])
for i = 6, 5 + sessionCount do
  redis.call('DEL', sessionPrefix .. ARGV[i])
end
for i = 6 + sessionCount, #ARGV do
  local userKey = userPrefix .. ARGV[i]
  for _, sessionId in ipairs(redis.call('SMEMBERS', userKey)) do
    redis.call('DEL', sessionPrefix .. sessionId)
  end
  redis.call('DEL', userKey)
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`)

export interface ReadReply {
  readonly data: string | null
  readonly seen: string | null
  readonly epoch: string
}

const stringOrNull = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null

export function parseReadReply(reply: unknown): ReadReply {
  if (!Array.isArray(reply)) throw new TypeError('unexpected reply from the session cache read')
  const [data, seen, epoch] = reply as unknown[] // an array, checked above
  return { data: stringOrNull(data), seen: stringOrNull(seen), epoch: stringOrNull(epoch) ?? '0' }
}

/** The pub/sub message, parsed by hand: it crosses a process boundary. */
export function parseInvalidation(message: string): { s: string[]; u: string[] } | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(message)
  } catch {
    return null // not ours; the caller drops every local entry instead (see session-cache.ts)
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const s: unknown = Reflect.get(parsed, 's')
  const u: unknown = Reflect.get(parsed, 'u')
  const isIds = (ids: unknown): ids is string[] =>
    Array.isArray(ids) && ids.every((id) => typeof id === 'string')
  return isIds(s) && isIds(u) ? { s, u } : null
}
