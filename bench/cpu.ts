import { readFile } from 'node:fs/promises'
import { Redis } from 'ioredis'
import postgres from 'postgres'

/** CPU milliseconds: the service process (all its threads), its PostgreSQL backends, Redis. */
export interface CpuTime { serviceMs: number, postgresMs: number, redisMs: number }

/** Cumulative CPU time at one instant; each backend's own, so one that connects in between counts whole. */
export interface CpuReading { serviceMs: number, backends: Map<number, number>, redisMs: number }

/** The CPU time spent between two readings. */
export function cpuBetween (before: CpuReading, after: CpuReading): CpuTime {
  let postgresMs = 0
  for (const [pid, ms] of after.backends) postgresMs += ms - (before.backends.get(pid) ?? 0)
  return { serviceMs: after.serviceMs - before.serviceMs, postgresMs, redisMs: after.redisMs - before.redisMs }
}

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 1/100 s on every common build.
const TICK_MS = 10

async function processCpuMs (pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command (which may hold spaces) start at ") "; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return 0 // a backend that exited between the listing and the read
  }
}

/**
 * Reads the CPU time of the service, of the PostgreSQL backends connected to its database, and of
 * the Redis server (shared with anything else using that server: read it on a quiet machine).
 * Backends that come and go between two readings are missed; the service's pool keeps its
 * connections open under load, so the difference is small.
 */
export function createCpuProbe ({
  servicePid,
  adminUrl,
  database,
  redisUrl
}: {
  servicePid: number
  adminUrl: string
  database: string
  redisUrl: string
}) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  return {
    async read (): Promise<CpuReading> {
      const backends = await sql<Array<{ pid: number }>>`select pid from pg_stat_activity where datname = ${database}`
      const [serviceMs, backendMs, info] = await Promise.all([
        processCpuMs(servicePid),
        Promise.all(backends.map(async row => [row.pid, await processCpuMs(row.pid)] as const)),
        redis.info('cpu')
      ])
      const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
      return {
        serviceMs,
        backends: new Map(backendMs),
        redisMs: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000
      }
    },
    async close () {
      redis.disconnect()
      await sql.end({ timeout: 2 })
    }
  }
}

export type CpuProbe = ReturnType<typeof createCpuProbe>
