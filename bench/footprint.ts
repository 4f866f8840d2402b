import { readFile } from 'node:fs/promises'
import { Redis } from 'ioredis'
import postgres from 'postgres'
import type { Memory } from './report.js'

/** VmRSS and VmHWM of a process (Linux), in MiB. */
export async function residentMemory (pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024) }
}

/** `fieldsPerKey`: the average field count, for hashes (one field per member session). */
export interface KeyKind { keys: number, sampled: number, bytesPerKey: number, fieldsPerKey?: number }

/**
 * What the run left in Redis under its prefix, by kind of key (`rotation`, `account`, `sessions`, `revoked`,
 * `otp`, `hits`): how many, and `MEMORY USAGE` per key (key, value and Redis's own overhead),
 * averaged over up to `sample` keys of each kind.
 */
export async function redisFootprint (
  url: string,
  keyPrefix: string,
  sample = 2_000
): Promise<Record<string, KeyKind>> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    const kinds = new Map<string, { keys: number, bytes: number[], fields: number[] }>()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000)
      cursor = next
      for (const key of keys) {
        const kind = key.slice(keyPrefix.length).split(':')[0]!
        const entry = kinds.get(kind) ?? { keys: 0, bytes: [], fields: [] }
        entry.keys++
        if (entry.bytes.length < sample) {
          entry.bytes.push(Number((await redis.memory('USAGE', key)) ?? 0))
          if ((await redis.type(key)) === 'hash') entry.fields.push(await redis.hlen(key))
        }
        kinds.set(kind, entry)
      }
    } while (cursor !== '0')
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
    return Object.fromEntries(
      [...kinds].sort().map(([kind, { keys, bytes, fields }]) => [
        kind,
        {
          keys,
          sampled: bytes.length,
          bytesPerKey: Math.round(mean(bytes)),
          ...(fields.length === 0 ? {} : { fieldsPerKey: Math.round(mean(fields) * 10) / 10 })
        }
      ])
    )
  } finally {
    redis.disconnect()
  }
}

export interface TableSize { rows: number, bytes: number, bytesPerRow: number }

/** Rows and on-disk size (table, TOAST and indexes) of the tables that grow with members and sign-ins. */
export async function postgresFootprint (databaseUrl: string): Promise<Record<string, TableSize>> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const out: Record<string, TableSize> = {}
    for (const table of ['users', 'user_interests', 'verification_files', 'push_tokens', 'audit_events']) {
      const [row] = await sql<
        Array<{ rows: string, bytes: string }>
      >`select (select count(*) from ${sql(table)}) as rows, pg_total_relation_size(${table}) as bytes`
      const rows = Number(row!.rows)
      const bytes = Number(row!.bytes)
      out[table] = { rows, bytes, bytesPerRow: rows === 0 ? 0 : Math.round(bytes / rows) }
    }
    return out
  } finally {
    await sql.end({ timeout: 5 })
  }
}
