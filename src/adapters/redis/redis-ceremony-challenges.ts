import type { Ceremony, CeremonyChallenges } from '../../application/ports/shared-state/ceremony-challenges.js'
import { redisCall, type RedisClient } from './redis-client.js'

const keyOf = (challenge: string) => `webauthn:challenge:${challenge}`

/** What was stored, read back; anything else (another version's value) is no ceremony. */
function parse (stored: string | null): Ceremony | null {
  if (stored === null) return null
  try {
    const value = JSON.parse(stored) as { kind?: unknown, memberId?: unknown }
    if (value.kind === 'sign_in') return { kind: 'sign_in' }
    if (value.kind === 'register' && typeof value.memberId === 'string') {
      return { kind: 'register', memberId: value.memberId }
    }
  } catch {}
  return null
}

/**
 * WebAuthn challenges shared by every instance (an answer may reach another instance than the one
 * that issued its options). TTLs are Redis's own; `take` is one GETDEL, so of two answers to one
 * challenge only the first finds it, on whichever instances they land.
 */
export function createRedisCeremonyChallenges (redis: RedisClient): CeremonyChallenges {
  return {
    issue: (challenge, ceremony, ttlSeconds) =>
      redisCall(async () => {
        await redis.set(keyOf(challenge), JSON.stringify(ceremony), 'EX', Math.max(1, Math.ceil(ttlSeconds)))
      }),
    take: (challenge) => redisCall(async () => parse(await redis.getdel(keyOf(challenge))))
  }
}
