import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { redisFootprint, postgresFootprint, residentMemory } from './footprint.js'
import { approvedMembers, emailAccount, phoneSessions, testNumbers } from './prepare.js'
import { createCpuProbe, type CpuProbe } from './cpu.js'
import { readCpuWith } from './load.js'
import { POSTGRES_ADMIN_URL, REDIS_URL } from './processes.js'
import * as scenarios from './scenarios.js'
import { printReport, round, targetsOf, type ScenarioResult } from './report.js'
import { seedMembers } from './seed-members.js'
import { consoleSession } from './console-session.js'
import { usersMeDuringSearch } from './slow-pool.js'
import { ARGON2, imageRuntime, startService } from './service.js'
import { generateSigningKey } from '../src/adapters/system/signing-keys.js'

/**
 * `npm run bench [-- --quick] [--out file] [--seconds n] [--connections n] [--runs n] [--members n] [--dist]
 *   [--entry file.js] [--env NAME=value ...] [--node-arg=--flag ...]`
 * The real service (PostgreSQL + Redis, a fresh database and key prefix) runs as a child process;
 * this process only generates load. Misses against the targets are printed, never an exit code.
 */
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    // The scenarios with throughput targets, and the bare route, run this many times, interleaved;
    // the median run is reported (shared machines drift by tens of percent between minutes).
    runs: { type: 'string' },
    // Members written straight into the database (COPY) before the run, besides the bench's own.
    members: { type: 'string' },
    dist: { type: 'boolean', default: false },
    // A compiled service entry point other than dist/main.js (the test suite's own build).
    entry: { type: 'string' },
    // Extra service variables for experiments, e.g. --env DATABASE_POOL_SIZE=60 (repeatable).
    env: { type: 'string', multiple: true },
    // Extra flags for the service's Node, e.g. --node-arg=--max-semi-space-size=32 (repeatable).
    'node-arg': { type: 'string', multiple: true }
  }
})
const quick = args.quick === true
const settings: scenarios.Settings = {
  quick,
  seconds: Number(args.seconds ?? (quick ? 0.5 : 10)),
  connections: Number(args.connections ?? (quick ? 10 : 50)),
  mixedConnections: quick ? 4 : 10,
  maxRounds: quick ? 1 : 30
}
const runs = Math.max(1, Number(args.runs ?? (quick ? 1 : 3)))
const seeded = Math.max(0, Number(args.members ?? 0))
const out = resolve(args.out ?? 'bench/results.json')
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

const numbers = testNumbers(quick ? 200 : 3000)
const entry = args.entry ?? (args.dist === true ? 'dist/main.js' : null)
const service = await startService({
  numbers,
  entry,
  extraEnv: args.env ?? [],
  nodeArgs: args['node-arg'] ?? []
})
// The same service signing with an Ed25519 key alone (JWT_KEYS), on stores of its own: /auth/me and
// refresh are measured on both, round by round, so the algorithms are compared on the same minutes.
const edKey = generateSigningKey('EdDSA', 'bench-eddsa')
const edNumbers = numbers.slice(0, runs * settings.connections)
let edService: Awaited<ReturnType<typeof startService>> | null = null
let cpu: CpuProbe | null = null
let edCpu: CpuProbe | null = null
try {
  edService = await startService({
    numbers: edNumbers,
    entry,
    extraEnv: [
      `JWT_KEYS=${JSON.stringify([edKey.jwk])}`,
      `JWT_SIGNING_KEY=${edKey.kid}`,
      'JWT_SECRET_VERIFIES=false',
      ...(args.env ?? [])
    ],
    nodeArgs: args['node-arg'] ?? []
  })
  const { base, adminKey } = service
  log(
    `service on ${base} (${service.what}), ` +
      `database ${new URL(service.databaseUrl).pathname.slice(1)}, prefix ${service.keyPrefix}`
  )
  const seedSeconds = seeded > 0 ? await seedMembers(service.databaseUrl, seeded, log) : 0
  cpu = createCpuProbe({
    servicePid: service.child.process.pid!,
    adminUrl: POSTGRES_ADMIN_URL,
    database: new URL(service.databaseUrl).pathname.slice(1),
    redisUrl: REDIS_URL
  })
  edCpu = createCpuProbe({
    servicePid: edService.child.process.pid!,
    adminUrl: POSTGRES_ADMIN_URL,
    database: new URL(edService.databaseUrl).pathname.slice(1),
    redisUrl: REDIS_URL
  })
  readCpuWith(cpu)

  log(`preparing ${numbers.length} approved members and an email account`)
  const fixture: scenarios.Fixture = {
    base,
    email: await emailAccount(base),
    numbers,
    refreshTokens: [],
    accessTokens: []
  }
  await approvedMembers(base, numbers, adminKey)
  log(`preparing ${edNumbers.length} approved members and an email account on the EdDSA service`)
  const edFixture: scenarios.Fixture = {
    base: edService.base,
    email: await emailAccount(edService.base),
    numbers: edNumbers,
    refreshTokens: [],
    accessTokens: []
  }
  await approvedMembers(edService.base, edNumbers, edService.adminKey)
  const edHeader = JSON.parse(Buffer.from(edFixture.email.token.split('.')[0]!, 'base64url').toString())
  if (edHeader.alg !== 'EdDSA') throw new Error(`the EdDSA service signed with ${String(edHeader.alg)}`)
  // Spent refresh tokens cannot be refreshed again: new sessions each run.
  const freshSessions = async (round: number, fx: scenarios.Fixture) => {
    const pairs = await phoneSessions(
      fx.base,
      fx.numbers.slice(round * settings.connections, (round + 1) * settings.connections)
    )
    fx.refreshTokens = pairs.map((pair) => pair.refresh)
    fx.accessTokens = pairs.map((pair) => pair.access)
  }
  /** A scenario on the EdDSA service, its CPU read from that service's process. */
  const onEdDsa = async (measure: () => Promise<scenarios.Measured>): Promise<scenarios.Measured> => {
    readCpuWith(edCpu)
    try {
      return scenarios.asEdDsa(await measure())
    } finally {
      readCpuWith(cpu)
    }
  }

  const results: ScenarioResult[] = []
  const run = async (what: string, measure: () => Promise<scenarios.Measured | scenarios.Measured[]>) => {
    log(`${what}…`)
    const measured = await measure()
    results.push(...(Array.isArray(measured) ? measured : [measured]).map((m) => ({ ...m, ratioToBare: null })))
  }
  const repeated: Record<'me' | 'edMe' | 'member' | 'refresh' | 'edRefresh' | 'bare', scenarios.Measured[]> = {
    me: [],
    edMe: [],
    member: [],
    refresh: [],
    edRefresh: [],
    bare: []
  }
  for (let round = 0; round < runs; round++) {
    log(
      '1 GET /auth/me (HS256, EdDSA), 2 GET /api/users/me/, 3 refresh rotation (HS256, EdDSA), 9 bare route ' +
        `(run ${round + 1} of ${runs})…`
    )
    await freshSessions(round, fixture)
    await freshSessions(round, edFixture)
    repeated.me.push(await scenarios.authMe(settings, fixture))
    repeated.edMe.push(await onEdDsa(() => scenarios.authMe(settings, edFixture)))
    repeated.member.push(await scenarios.usersMe(settings, fixture))
    repeated.refresh.push(await scenarios.refreshRotation(settings, fixture))
    repeated.edRefresh.push(await onEdDsa(() => scenarios.refreshRotation(settings, edFixture)))
    repeated.bare.push(await scenarios.bareRoute(settings))
  }
  for (const list of Object.values(repeated)) {
    const median = [...list].sort((a, b) => a.stats.rps - b.stats.rps)[Math.floor(list.length / 2)]!
    results.push({
      ...median,
      note:
        runs > 1
          ? `${median.note}; median of ${runs} runs (${list.map(m => Math.round(m.stats.rps)).join(', ')} req/s)`
          : median.note,
      ratioToBare: null
    })
  }
  await run('4 phone login', () => scenarios.phoneLogin(settings, fixture))
  await run('5 email login', () => scenarios.emailLogin(settings, fixture))
  await run('5b email login, a fixed batch (the peer bench\'s way)', () =>
    scenarios.emailLoginPeer(settings, fixture))
  // Right after the logins it is read against, so both see the same machine (shared machines drift).
  const { threads } = await imageRuntime()
  await run('10 argon2 verify rate', () => scenarios.argon2Rate(settings, ARGON2, threads))
  await run('6 code request', () => scenarios.codeRequest(settings, fixture))
  await run('7 /auth/me beside a login storm', () => scenarios.mixed(settings, fixture))
  log('a staff member (the command-line tool) signed in to the console (password, TOTP enrolment)')
  const staff = { cookie: await consoleSession(service), members: seeded + numbers.length + 1 }
  // Access tokens live 15 minutes and a long run outlives the last round's: new ones, from numbers no
  // round used. A quick run is over in a minute and keeps its own.
  if (!quick) await freshSessions(runs, fixture)
  await run(`11 GET /api/users/me/ quiet, then beside console searches over ${staff.members} members`, () =>
    usersMeDuringSearch(settings, fixture, staff))
  const memory = await residentMemory(service.child.process.pid!)
  log('sizes: Redis keys by kind, PostgreSQL tables')
  const footprint = {
    redis: await redisFootprint(REDIS_URL, service.keyPrefix),
    postgres: await postgresFootprint(service.databaseUrl)
  }
  const ORDER = [
    'auth-me',
    'auth-me-eddsa',
    'users-me',
    'refresh',
    'refresh-eddsa',
    'phone-login',
    'email-login',
    'email-login-peer',
    'code-request',
    'mixed-me-quiet',
    'mixed-me-storm',
    'mixed-login-storm',
    'users-me-quiet',
    'users-me-during-search',
    'console-search',
    'bare',
    'argon2'
  ]
  results.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id))

  const bare = results.find((r) => r.id === 'bare')!.stats.rps
  for (const result of results) result.ratioToBare = result.id === 'argon2' ? null : result.stats.rps / bare
  // The shares that are not against the bare route, in the rows' notes, with the bare rate beside them.
  const byId = (id: string) => results.find((r) => r.id === id)!
  const argon2 = byId('argon2').stats.rps
  for (const id of ['email-login', 'email-login-peer']) {
    byId(id).note += `; ${percent(byId(id).stats.rps / argon2)} of argon2 alone (bare ${Math.round(bare)}/s)`
  }
  const searched = byId('users-me-during-search')
  searched.note += `; p99 ${round(searched.stats.p99Ms / byId('users-me-quiet').stats.p99Ms, 2)}x the quiet p99`
  const targets = targetsOf(results, memory)
  printReport(results, targets, memory)

  const report = {
    timestamp: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: `${process.platform}-${process.arch}`
    },
    settings: {
      ...settings,
      runs,
      argon2: ARGON2,
      serviceEnv: args.env ?? [],
      serviceNodeArgs: args['node-arg'] ?? [],
      service: service.what,
      members: numbers.length,
      seededMembers: seeded,
      // What the console search of users-me-during-search scans: the seeded members, the bench's, its email account.
      searchedMembers: staff.members,
      seedSeconds: round(seedSeconds),
      refreshConnections: fixture.refreshTokens.length
    },
    scenarios: results.map(({ id, title, stats, ratioToBare, note }) => ({
      id,
      title,
      note,
      rps: round(stats.rps),
      p50Ms: round(stats.p50Ms),
      p99Ms: round(stats.p99Ms),
      requests: stats.requests,
      seconds: stats.seconds,
      errors: stats.errors,
      cpuMsPerRequest:
        stats.cpuMsPerRequest === null
          ? null
          : {
              service: round(stats.cpuMsPerRequest.serviceMs, 3),
              postgres: round(stats.cpuMsPerRequest.postgresMs, 3),
              redis: round(stats.cpuMsPerRequest.redisMs, 3)
            },
      ratioToBare: ratioToBare === null ? null : round(ratioToBare, 3)
    })),
    memory,
    footprint,
    targets
  }
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, JSON.stringify(report, null, 2) + '\n')
  log(`results written to ${out}`)
} finally {
  readCpuWith(null)
  await cpu?.close()
  await edCpu?.close()
  await edService?.stop()
  await service.stop()
}

function percent (share: number): string {
  return `${round(share * 100)}%`
}
