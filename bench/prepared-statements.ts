/**
 * What unnamed statements (DATABASE_PREPARED_STATEMENTS=false, postgres.js `prepare: false`, for
 * PgBouncer before 1.21 in transaction mode) cost the hot reads: the account repository's
 * findCard (every authenticated request's member check) and findProfileById (GET /api/users/me/),
 * with prepare on and off, against PostgreSQL directly, N sequential and then N at 16 in flight
 * on the service's default pool of 4. Interleaved rounds, median reported.
 *
 *   node --import tsx bench/prepared-statements.ts [--n 5000] [--rounds 3]
 */
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { connectPostgres } from '../src/adapters/drizzle/database.js'
import { createDrizzleAccountRepository } from '../src/adapters/drizzle/drizzle-account-repository.js'
import { randomIds } from '../src/adapters/system/random-ids.js'

const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } }
})
const N = Number(values.n)
const ROUNDS = Number(values.rounds)
const MEMBERS = 1000
const IN_FLIGHT = 16
const POOL = 4

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
const name = `bench_prepare_${randomUUID().slice(0, 8)}`
await admin.unsafe(`create database "${name}"`)
const url = new URL(adminUrl)
url.pathname = `/${name}`

try {
  const setup = connectPostgres({ url: url.toString(), poolSize: POOL, connectTimeoutSeconds: 5 })
  await setup.migrate()
  const seeding = createDrizzleAccountRepository(setup.db, randomIds)
  const ids = Array.from({ length: MEMBERS }, () => randomUUID())
  for (const id of ids) {
    const member = { id, email: `${id}@example.com`, passwordHash: 'hash', mobile: null } as const
    await seeding.create({ ...member, status: 'approved', language: 'ko', profile: null, pushToken: null })
  }
  await setup.close()

  type Read = 'findCard' | 'findProfileById'
  const results = new Map<string, number[]>()
  const record = (key: string, value: number) => results.set(key, [...(results.get(key) ?? []), value])

  for (let round = 0; round < ROUNDS; round++) {
    for (const prepare of [true, false]) {
      const handle = connectPostgres({ url: url.toString(), poolSize: POOL, connectTimeoutSeconds: 5, prepare })
      const accounts = createDrizzleAccountRepository(handle.db, randomIds)
      for (const read of ['findCard', 'findProfileById'] as Read[]) {
        const once = async (i: number) => {
          if (await accounts[read](ids[i % MEMBERS]!) === null) throw new Error('miss')
        }
        for (let i = 0; i < 1000; i++) await once(i) // warm-up: connections open, statements prepared

        let cpu = process.cpuUsage()
        let start = process.hrtime.bigint()
        for (let i = 0; i < N; i++) await once(i)
        const sequential = Number(process.hrtime.bigint() - start) / 1000 / N
        const sequentialCpu = cpuMicros(process.cpuUsage(cpu)) / N

        cpu = process.cpuUsage()
        start = process.hrtime.bigint()
        let next = 0
        await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
          while (next < N) await once(next++)
        }))
        const perSecond = N / (Number(process.hrtime.bigint() - start) / 1e9)
        const concurrentCpu = cpuMicros(process.cpuUsage(cpu)) / N

        const key = `${read} prepare=${String(prepare)}`
        record(`${key} µs/op`, sequential)
        record(`${key} node µs/op`, sequentialCpu)
        record(`${key} ops/s`, perSecond)
        record(`${key} node µs/op at ${IN_FLIGHT}`, concurrentCpu)
      }
      await handle.close()
    }
  }

  const median = (key: string) => {
    const sorted = [...results.get(key)!].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]!
  }
  console.log(`N=${N}, ${ROUNDS} rounds (median), pool ${POOL}, ${MEMBERS} members, PostgreSQL direct\n`)
  console.log('| read | prepare | sequential µs/op | node CPU µs/op | ops/s at 16 in flight | node CPU µs/op at 16 |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const read of ['findCard', 'findProfileById']) {
    for (const prepare of [true, false]) {
      const key = `${read} prepare=${String(prepare)}`
      console.log(`| ${read} | ${String(prepare)} | ${median(`${key} µs/op`).toFixed(0)} | ` +
        `${median(`${key} node µs/op`).toFixed(0)} | ${median(`${key} ops/s`).toFixed(0)} | ` +
        `${median(`${key} node µs/op at ${IN_FLIGHT}`).toFixed(0)} |`)
    }
  }
} finally {
  await admin.unsafe(`drop database if exists "${name}" with (force)`)
  await admin.end({ timeout: 2 })
}

function cpuMicros ({ user, system }: NodeJS.CpuUsage): number {
  return user + system
}
