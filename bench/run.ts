import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { approvedMembers, emailAccount, refreshTokens, smsTestOtp, testNumbers } from './prepare.js'
import { createScratchStores, freePort, REDIS_URL, startNode, waitReady, type Child } from './processes.js'
import * as scenarios from './scenarios.js'
import { printReport, targetsOf, type ScenarioResult } from './report.js'

/**
 * `npm run bench [-- --quick] [--out file] [--seconds n] [--connections n] [--runs n] [--dist] [--env NAME=value ...]`
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
    dist: { type: 'boolean', default: false },
    // Extra service variables for experiments, e.g. --env DATABASE_POOL_SIZE=60 (repeatable).
    env: { type: 'string', multiple: true }
  }
})
const quick = args.quick === true
const settings: scenarios.Settings = {
  quick,
  seconds: Number(args.seconds ?? (quick ? 1 : 10)),
  connections: Number(args.connections ?? (quick ? 10 : 50)),
  mixedConnections: quick ? 4 : 10,
  maxRounds: quick ? 2 : 30
}
const runs = Math.max(1, Number(args.runs ?? (quick ? 1 : 3)))
const out = resolve(args.out ?? 'bench/results.json')
const ARGON2 = { memoryKiB: 19456, iterations: 2, parallelism: 1 } // load-config's defaults, passed explicitly below
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

const stores = await createScratchStores()
const dataDir = await mkdtemp(join(tmpdir(), 'auth-bench-'))
let service: Child | null = null
try {
  const numbers = testNumbers(quick ? 200 : 3000)
  const adminKey = randomBytes(24).toString('hex')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: stores.databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: stores.keyPrefix,
    JWT_SECRET: randomBytes(48).toString('base64'),
    ADMIN_API_KEY: adminKey,
    SMS_TEST_OTP: smsTestOtp(numbers),
    OTP_RESEND_COOLDOWN: '1', // the least allowed; the code scenarios pace their rounds by it
    SMS_DAILY_CAP_PER_NUMBER: '100000000',
    SMS_HOURLY_CAP: '100000000',
    RATE_LIMIT_ENABLED: 'false',
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_ITERATIONS: String(ARGON2.iterations),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
    ...Object.fromEntries((args.env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  }
  log(`service on ${base} (${args.dist ? 'dist/main.js' : 'src/main.ts via tsx'}), database ${new URL(stores.databaseUrl).pathname.slice(1)}, prefix ${stores.keyPrefix}`)
  service = args.dist ? startNode('dist/main.js', [], env, { tsx: false }) : startNode('src/main.ts', [], env)
  await waitReady(base, service)

  log(`preparing ${numbers.length} approved members and an email account`)
  const fixture: scenarios.Fixture = {
    base,
    email: await emailAccount(base),
    numbers,
    refreshTokens: []
  }
  await approvedMembers(base, numbers, adminKey)
  const freshChains = async (round: number) => { fixture.refreshTokens = await refreshTokens(base, numbers.slice(round * settings.connections, (round + 1) * settings.connections)) }

  const results: ScenarioResult[] = []
  const run = async (what: string, measure: () => Promise<scenarios.Measured | scenarios.Measured[]>) => {
    log(`${what}…`)
    const measured = await measure()
    results.push(...(Array.isArray(measured) ? measured : [measured]).map((m) => ({ ...m, ratioToBare: null })))
  }
  const repeated: Record<'me' | 'refresh' | 'bare', scenarios.Measured[]> = { me: [], refresh: [], bare: [] }
  for (let round = 0; round < runs; round++) {
    log(`1 GET /auth/me, 2 refresh rotation, 7 bare route (run ${round + 1} of ${runs})…`)
    repeated.me.push(await scenarios.authMe(settings, fixture))
    await freshChains(round) // spent tokens cannot be refreshed again: new chains each run
    repeated.refresh.push(await scenarios.refreshRotation(settings, fixture))
    repeated.bare.push(await scenarios.bareRoute(settings))
  }
  for (const list of Object.values(repeated)) {
    const median = [...list].sort((a, b) => a.stats.rps - b.stats.rps)[Math.floor(list.length / 2)]!
    results.push({ ...median, note: runs > 1 ? `${median.note}; median of ${runs} runs (${list.map((m) => Math.round(m.stats.rps)).join(', ')} req/s)` : median.note, ratioToBare: null })
  }
  await run('3 phone login', () => scenarios.phoneLogin(settings, fixture))
  await run('4 email login', () => scenarios.emailLogin(settings, fixture))
  // Right after the logins it is read against, so both see the same machine (shared machines drift).
  await run('8 argon2 verify rate', () => scenarios.argon2Rate(settings, ARGON2))
  await run('5 code request', () => scenarios.codeRequest(settings, fixture))
  await run('6 /auth/me beside a login storm', () => scenarios.mixed(settings, fixture))
  const ORDER = ['auth-me', 'refresh', 'phone-login', 'email-login', 'code-request', 'mixed-me-quiet', 'mixed-me-storm', 'mixed-login-storm', 'bare', 'argon2']
  results.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id))

  const bare = results.find((r) => r.id === 'bare')!.stats.rps
  for (const result of results) result.ratioToBare = result.id === 'argon2' ? null : result.stats.rps / bare
  const targets = targetsOf(results)
  printReport(results, targets)

  const report = {
    timestamp: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemoryMiB: Math.round(totalmem() / 2 ** 20), node: process.version, platform: `${process.platform}-${process.arch}` },
    settings: { ...settings, runs, argon2: ARGON2, serviceEnv: args.env ?? [], members: numbers.length, refreshConnections: fixture.refreshTokens.length },
    scenarios: results.map(({ id, title, stats, ratioToBare, note }) => ({
      id, title, note,
      rps: round(stats.rps), p50Ms: round(stats.p50Ms), p99Ms: round(stats.p99Ms),
      requests: stats.requests, seconds: stats.seconds, errors: stats.errors,
      ratioToBare: ratioToBare === null ? null : round(ratioToBare, 3)
    })),
    targets
  }
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, JSON.stringify(report, null, 2) + '\n')
  log(`results written to ${out}`)
} finally {
  await service?.stop()
  await stores.drop()
  await rm(dataDir, { recursive: true, force: true })
}

function round (value: number, digits = 1): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
