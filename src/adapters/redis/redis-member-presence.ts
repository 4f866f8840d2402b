import type { MemberPresence, PresenceMark } from '../../application/ports/shared-state/member-presence.js'
import { redisCall, type RedisClient } from './redis-client.js'

// A sorted set per member: "staffId email" → ms of that staff member's latest opening (an email
// holds no space). Each mark drops the marks past their life and sets the key's own, so a member
// holds a bounded set and an unopened member nothing at all.
const key = (memberId: string): string => `presence:{${memberId}}`

/** Presence shared by every instance. Times are the service's clock (the Clock port), as marked. */
export function createRedisMemberPresence (redis: RedisClient): MemberPresence {
  return {
    async mark (memberId, viewer, at, forMs) {
      const now = at.getTime()
      await redisCall(async () =>
        await redis
          .multi()
          .zadd(key(memberId), now, `${viewer.staffId} ${viewer.email}`)
          .zremrangebyscore(key(memberId), '-inf', `(${now - forMs}`)
          .pexpire(key(memberId), forMs)
          .exec()
      )
    },
    async recent (memberId, since) {
      const flat = await redisCall(() =>
        redis.zrevrangebyscore(key(memberId), '+inf', since.getTime(), 'WITHSCORES')
      )
      const marks: PresenceMark[] = []
      const seen = new Set<string>()
      for (let index = 0; index + 1 < flat.length; index += 2) {
        const [staffId = '', email = ''] = flat[index]!.split(' ')
        if (seen.has(staffId)) continue
        seen.add(staffId)
        marks.push({ staffId, email, at: new Date(Number(flat[index + 1])) })
      }
      return marks
    }
  }
}
