import type { CatalogVersion } from '../memory/cached-catalog-repository.js'
import { redisCall, type RedisClient } from './redis-client.js'

/** The catalogs' version shared by every instance: a counter that each change moves, never expiring. */
export function createRedisCatalogVersion (redis: RedisClient): CatalogVersion {
  const key = 'catalog:version'
  return {
    read: () => redisCall(async () => await redis.get(key) ?? '0'),
    bump: () => redisCall(async () => { await redis.incr(key) })
  }
}
