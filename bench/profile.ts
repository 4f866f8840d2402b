import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { createCpuProbe } from './cpu.js'
import { readCpuWith } from './load.js'
import { approvedMembers, emailAccount, phoneSessions, testNumbers } from './prepare.js'
import { POSTGRES_ADMIN_URL, REDIS_URL } from './processes.js'
import * as scenarios from './scenarios.js'
import { startService } from './service.js'

/**
 * `node --import tsx bench/profile.ts --scenario users-me [--seconds 15] [--dist] [--env NAME=value ...]`
 * One scenario against the service run with `--cpu-prof`; prints the scenario's figures and CPU
 * per request, then where the service's CPU went *during the measured load only* (self time by
 * package and by function). The profile's clock and process.hrtime are both CLOCK_MONOTONIC, so
 * the samples outside the load (start-up, set-up) are left out. Keeps the .cpuprofile with --keep.
 */
const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'users-me' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '50' },
    dist: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    env: { type: 'string', multiple: true },
    // Extra flags for the service's Node, e.g. --node-arg=--max-semi-space-size=32 (repeatable).
    'node-arg': { type: 'string', multiple: true }
  }
})
const MEASURE: Record<
  string,
  (settings: scenarios.Settings, fixture: scenarios.Fixture) => Promise<scenarios.Measured | scenarios.Measured[]>
> = {
  'auth-me': scenarios.authMe,
  'users-me': scenarios.usersMe,
  refresh: scenarios.refreshRotation,
  'phone-login': scenarios.phoneLogin,
  'email-login': scenarios.emailLogin,
  'code-request': scenarios.codeRequest,
  mixed: scenarios.mixed
}
const measure = MEASURE[args.scenario]
if (measure === undefined) throw new Error(`--scenario is one of ${Object.keys(MEASURE).join(', ')}`)
const settings: scenarios.Settings = {
  quick: false,
  seconds: Number(args.seconds),
  connections: Number(args.connections),
  mixedConnections: 10,
  maxRounds: 30
}
const log = (line: string) => process.stderr.write(`[profile] ${line}\n`)

const profileDir = await mkdtemp(join(tmpdir(), 'auth-profile-'))
const numbers = testNumbers(args.scenario === 'phone-login' || args.scenario === 'code-request' ? 3000 : 200)
const service = await startService({
  numbers,
  entry: args.dist ? 'dist/main.js' : null,
  extraEnv: args.env ?? [],
  nodeArgs: [...(args['node-arg'] ?? []), '--cpu-prof', '--cpu-prof-dir', profileDir]
})
let window: [number, number] = [0, 0]
let measured: scenarios.Measured[]
const cpu = createCpuProbe({
  servicePid: service.child.process.pid!,
  adminUrl: POSTGRES_ADMIN_URL,
  database: new URL(service.databaseUrl).pathname.slice(1),
  redisUrl: REDIS_URL
})
try {
  log(`preparing ${numbers.length} members on ${service.what}`)
  const fixture: scenarios.Fixture = {
    base: service.base,
    email: await emailAccount(service.base),
    numbers,
    refreshTokens: [],
    accessTokens: []
  }
  await approvedMembers(service.base, numbers, service.adminKey)
  const pairs = await phoneSessions(service.base, numbers.slice(0, settings.connections))
  fixture.refreshTokens = pairs.map((pair) => pair.refresh)
  fixture.accessTokens = pairs.map((pair) => pair.access)
  log(`${args.scenario} for ${settings.seconds} s at ${settings.connections} connections (after its warm-up)`)
  readCpuWith(cpu)
  const microseconds = () => Number(process.hrtime.bigint() / 1000n)
  const started = microseconds()
  measured = [await measure(settings, fixture)].flat()
  window = [started, microseconds()]
} finally {
  readCpuWith(null)
  await cpu.close()
  await service.stop()
}

for (const { title, stats } of measured) {
  const perRequest = stats.cpuMsPerRequest
  process.stdout.write(
    `${title}: ${Math.round(stats.rps)} req/s, p50 ${stats.p50Ms} ms, p99 ${stats.p99Ms} ms, ${stats.errors} errors\n`
  )
  if (perRequest !== null) {
    process.stdout.write(
      `CPU per request: service ${perRequest.serviceMs.toFixed(3)} ms, PostgreSQL ` +
        `${perRequest.postgresMs.toFixed(3)} ms, Redis ${perRequest.redisMs.toFixed(3)} ms\n`
    )
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  hitCount?: number
}
interface Profile { nodes: ProfileNode[], startTime: number, samples: number[], timeDeltas: number[] }
const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'))
if (file === undefined) throw new Error('the service wrote no profile')
const profile = JSON.parse(await readFile(join(profileDir, file), 'utf8')) as Profile
if (args.keep) log(`profile kept: ${join(profileDir, file)}`)
else await rm(profileDir, { recursive: true, force: true })

// Self time of each node over the samples taken inside the measured load; a sample lasts until the next.
const self = new Map<number, number>()
let at = profile.startTime
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i]!
  const lasts = profile.timeDeltas[i + 1] ?? 0
  if (at >= window[0] && at <= window[1]) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + lasts)
}
const ROOT = new URL('..', import.meta.url).pathname
const groupOf = ({ functionName, url }: ProfileNode['callFrame']): string => {
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(idle)') return 'idle'
  if (functionName === '(program)') return 'V8 / native (program)'
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 14).split('/')
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!
  }
  if (url.startsWith('node:')) return 'Node internals'
  if (url.includes('/src/') || url.includes('/dist/')) return 'service code'
  return url === '' ? 'native' : 'other'
}
const byGroup = new Map<string, number>()
const byFunction = new Map<string, number>()
let busy = 0
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0
  if (us === 0) continue
  const group = groupOf(node.callFrame)
  byGroup.set(group, (byGroup.get(group) ?? 0) + us)
  if (group === 'idle') continue
  busy += us
  const where =
    node.callFrame.url === ''
      ? ''
      : ` ${relative(ROOT, node.callFrame.url.replace(/^file:\/\//, ''))}:${node.callFrame.lineNumber + 1}`
  const name = `${node.callFrame.functionName || '(anonymous)'}${where}`
  byFunction.set(name, (byFunction.get(name) ?? 0) + us)
}
const span = window[1] - window[0]
const share = (us: number) => `${(100 * us / busy).toFixed(1).padStart(5)}%`
process.stdout.write(
  `\nmain thread busy ${((100 * busy) / span).toFixed(0)}% of the load's ${(span / 1e6).toFixed(1)} s; self time by ` +
    'group (share of busy):\n'
)
for (const [group, us] of [...byGroup].filter(([group]) => group !== 'idle').sort((a, b) => b[1] - a[1])) {
  process.stdout.write(`  ${share(us)}  ${group}\n`)
}
process.stdout.write('\ntop functions by self time:\n')
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) {
  process.stdout.write(`  ${share(us)}  ${name}\n`)
}
