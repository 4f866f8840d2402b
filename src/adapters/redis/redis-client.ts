import { Redis } from 'ioredis'
import { ServiceUnavailableError } from '../../domain/errors.js'

export interface RedisOptions { url: string, keyPrefix: string, commandTimeoutMs: number }

/**
 * One client per process. Commands fail fast instead of queueing while Redis is away, so a
 * request answers 503 in bounded time; ioredis keeps reconnecting in the background.
 */
export function connectRedis ({ url, keyPrefix, commandTimeoutMs }: RedisOptions): Redis {
  return new Redis(url, {
    keyPrefix,
    lazyConnect: false,
    connectTimeout: commandTimeoutMs,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000)
  })
}

/** Redis failures become one domain error; the original (which may hold a key) is not passed on. */
export async function redisCall<T> (operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new ServiceUnavailableError(`redis unavailable (${typeof code === 'string' ? code : (error as Error).name})`)
  }
}
