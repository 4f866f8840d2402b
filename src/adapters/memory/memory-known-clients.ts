import type { Clock } from '../../application/ports/system/clock.js'
import type { KnownClients } from '../../application/ports/shared-state/known-clients.js'
import { ExpiringMap } from './expiring-map.js'

/** Known clients in this process (the embedded default): per target, client → last proof (ms). */
export function createMemoryKnownClients (clock: Clock): KnownClients {
  const targets = new ExpiringMap<Map<string, number>>(clock)
  return {
    async remember (target, client, { forMs, keep }) {
      const at = clock.now().getTime()
      const clients = targets.get(target) ?? new Map<string, number>()
      clients.delete(client) // re-inserted last: a Map iterates oldest first
      clients.set(client, at)
      for (const [old, seen] of clients) if (seen <= at - forMs || clients.size > keep) clients.delete(old)
      targets.set(target, clients, new Date(at + forMs))
    },
    async isKnown (target, client, { forMs }) {
      const seen = targets.get(target)?.get(client)
      return seen !== undefined && seen > clock.now().getTime() - forMs
    }
  }
}
