import type { Measured } from './scenarios.js'

export interface ScenarioResult extends Measured { ratioToBare: number | null }
export interface Target { name: string, value: number, goal: string, pass: boolean }
/** The service's resident memory (VmRSS) after the whole bench, and its peak (VmHWM), in MiB. */
export interface Memory { rssMiB: number, peakRssMiB: number }

const statsOf = (results: ScenarioResult[], id: string) => results.find((r) => r.id === id)!.stats

/**
 * Issue 16's targets, each as a share of the bare route of the same run (or of argon2 alone, or of
 * the quiet p99): printed PASS/MISS; a miss never fails the run.
 */
export function targetsOf (results: ScenarioResult[], memory: Memory): Target[] {
  const bare = statsOf(results, 'bare')
  const share = (id: string) => statsOf(results, id).rps / bare.rps
  const member = statsOf(results, 'users-me')
  const login = statsOf(results, 'email-login').rps / statsOf(results, 'argon2').rps
  const quiet = statsOf(results, 'mixed-me-quiet').p99Ms
  const storm = statsOf(results, 'mixed-me-storm').p99Ms
  return [
    {
      name: 'GET /api/users/me/ share of bare',
      value: share('users-me'),
      goal: '>= 0.10',
      pass: share('users-me') >= 0.1
    },
    {
      name: 'GET /api/users/me/ p99 over bare p99',
      value: member.p99Ms / bare.p99Ms,
      goal: '<= 10',
      pass: member.p99Ms <= 10 * bare.p99Ms
    },
    {
      name: 'POST /api/token/ share of bare',
      value: share('phone-login'),
      goal: '>= 0.05',
      pass: share('phone-login') >= 0.05
    },
    { name: 'GET /auth/me share of bare', value: share('auth-me'), goal: '>= 0.20', pass: share('auth-me') >= 0.2 },
    {
      name: 'POST /api/token/refresh/ share of bare',
      value: share('refresh'),
      goal: '>= 0.20',
      pass: share('refresh') >= 0.2
    },
    { name: 'email login share of argon2 verify alone', value: login, goal: '>= 0.90', pass: login >= 0.9 },
    {
      name: 'GET /auth/me p99 in a login storm over its quiet p99',
      value: storm / quiet,
      goal: '<= 2',
      pass: storm <= 2 * quiet
    },
    { name: 'resident memory after the bench, MiB', value: memory.rssMiB, goal: '<= 200', pass: memory.rssMiB <= 200 }
  ]
}

const fixed = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function printReport (results: ScenarioResult[], targets: Target[], memory: Memory): void {
  const rows = [
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs bare', 'CPU ms/req: service', 'PostgreSQL', 'Redis']
  ]
  for (const { title, stats, ratioToBare } of results) {
    const cpu = stats.cpuMsPerRequest
    rows.push([
      title,
      fixed(stats.rps),
      fixed(stats.p50Ms, 1),
      fixed(stats.p99Ms, 1),
      String(stats.errors),
      ratioToBare === null ? '-' : `${fixed(ratioToBare * 100, 1)}%`,
      ...(cpu === null ? ['-', '-', '-'] : [fixed(cpu.serviceMs, 3), fixed(cpu.postgresMs, 3), fixed(cpu.redisMs, 3)])
    ])
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  const out = [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line), '']
  out.push(
    `service resident memory after the bench: ${fixed(memory.rssMiB)} MiB (peak ${fixed(memory.peakRssMiB)} MiB)`,
    ''
  )
  for (const target of targets) {
    out.push(
      `${target.pass ? 'PASS' : 'MISS'}  ${target.name}: ` +
        `${fixed(target.value, target.value < 10 ? 3 : 1)} (target ${target.goal})`
    )
  }
  process.stdout.write(out.join('\n') + '\n')
}
