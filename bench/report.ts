import type { Measured } from './scenarios.js'

export interface ScenarioResult extends Measured { ratioToBare: number | null }
export interface Target { name: string, value: number, goal: string, pass: boolean }

const rpsOf = (results: ScenarioResult[], id: string) => results.find((r) => r.id === id)!.stats

/** The targets: printed PASS/MISS; a miss never fails the run. */
export function targetsOf (results: ScenarioResult[]): Target[] {
  const me = rpsOf(results, 'auth-me')
  const refresh = rpsOf(results, 'refresh')
  const login = rpsOf(results, 'email-login')
  const argon2 = rpsOf(results, 'argon2')
  const storm = rpsOf(results, 'mixed-me-storm')
  const share = login.rps / argon2.rps
  return [
    { name: 'GET /auth/me req/s', value: me.rps, goal: '>= 5000', pass: me.rps >= 5000 },
    { name: 'refresh req/s', value: refresh.rps, goal: '>= 4000', pass: refresh.rps >= 4000 },
    { name: 'refresh p99 ms', value: refresh.p99Ms, goal: '< 25', pass: refresh.p99Ms < 25 },
    { name: 'login share of argon2 verify rate', value: share, goal: '>= 0.85', pass: share >= 0.85 },
    { name: 'GET /auth/me p99 ms during login storm', value: storm.p99Ms, goal: '< 50', pass: storm.p99Ms < 50 }
  ]
}

const fixed = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function printReport (results: ScenarioResult[], targets: Target[]): void {
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs bare']]
  for (const { title, stats, ratioToBare } of results) {
    rows.push([title, fixed(stats.rps), fixed(stats.p50Ms, 1), fixed(stats.p99Ms, 1), String(stats.errors), ratioToBare === null ? '-' : `${fixed(ratioToBare * 100, 1)}%`])
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const line = (row: string[]) => row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join('  ')
  const out = [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line), '']
  for (const target of targets) out.push(`${target.pass ? 'PASS' : 'MISS'}  ${target.name}: ${fixed(target.value, target.value < 10 ? 2 : 1)} (target ${target.goal})`)
  process.stdout.write(out.join('\n') + '\n')
}
