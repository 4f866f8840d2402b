import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { parse, stringify } from 'yaml'
import { createServiceMetrics } from '../../src/adapters/http/service-metrics.js'

// deploy/alerts.yaml checked three ways: promtool accepts the file as written (templates
// included); every series a rule reads is one the service exports; and promtool's own rule tests
// show each alert fires on the trouble it names and stays quiet on a healthy service.

const run = promisify(execFile)
const RULES = fileURLToPath(new URL('../../deploy/alerts.yaml', import.meta.url))

interface Rule { alert: string, expr: string, for?: string, labels?: Record<string, string>, annotations?: unknown }
const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> })
  .groups.flatMap(group => group.rules)

/** Debian's `prometheus` package brings promtool; outside CI a machine without it skips, saying so. */
async function promtoolMissing (): Promise<false | string> {
  try {
    await run('promtool', ['--version'])
    return false
  } catch (error) {
    const reason = `promtool not found (${(error as Error).message}): apt-get install prometheus`
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`)
    return `${reason}; skipped outside CI`
  }
}
const noPromtool = await promtoolMissing()

const PROMQL_WORDS = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset',
  'inf', 'nan'
])

/** The series names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
function seriesNames (expr: string): Set<string> {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
  const names = new Set<string>()
  for (const match of bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)) {
    if (!PROMQL_WORDS.has(match[1]!.toLowerCase())) names.add(match[1]!)
  }
  return names
}

/** Every series name the service's registry exposes, with a histogram's _bucket, _sum and _count. */
async function exportedNames (): Promise<Set<string>> {
  const names = new Set<string>()
  for (const metric of await createServiceMetrics().registry.getMetricsAsJSON()) {
    names.add(metric.name)
    const type = String(metric.type)
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix)
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(metric.name + suffix)
  }
  return names
}

t.test('the rules cover what an operator must hear about', async (t) => {
  t.same(rules.map(rule => rule.alert).sort(), [
    'MobileAuthAuditWriteFailures',
    'MobileAuthPostgresDown',
    'MobileAuthRedisCommandErrors',
    'MobileAuthRedisDown',
    'MobileAuthServerErrors',
    'MobileAuthSlowRequests',
    'MobileAuthSmsFailures',
    'MobileAuthThrottlingSurge'
  ])
  for (const rule of rules) {
    t.match(rule.labels?.severity, /^(critical|warning)$/, `${rule.alert}: a severity routing can use`)
    t.match(rule.annotations, { summary: String, description: String }, `${rule.alert}: says what happened`)
  }
})

t.test('every series a rule reads is one the service exports', async (t) => {
  t.same(
    [...seriesNames('sum by (le) (rate(a_total{x="b(c)"}[5m])) / on (d) b_total > 2 and c offset 1h')],
    ['a_total', 'b_total', 'c'],
    'the name reader skips functions, labels, strings, ranges and keywords'
  )
  const exported = await exportedNames()
  t.ok(exported.has('auth_audit_write_failures_total') && exported.has('auth_dependency_up'), 'the registry is read')
  for (const rule of rules) {
    const names = [...seriesNames(rule.expr)]
    t.ok(names.length > 0, `${rule.alert} reads series`)
    for (const name of names) t.ok(exported.has(name), `${rule.alert}: ${name} is exported by the service`)
  }
})

t.test('promtool check rules accepts deploy/alerts.yaml', { skip: noPromtool }, async (t) => {
  const { stdout } = await run('promtool', ['check', 'rules', RULES])
  t.match(stdout, new RegExp(`SUCCESS: ${rules.length} rules found`))
})

// ---- Each alert fires on its trouble, and none on a healthy service ---------------------------

/** Series in promtool's notation, one sample a minute: `0+60x40` counts 60 a minute (1/s) for 40 minutes. */
type Series = Record<string, string>
const MINUTES = 'x40'
const healthy: Series = {
  'http_requests_total{instance="a",method="GET",route="/auth/me",status_code="200"}': `0+600${MINUTES}`,
  'http_request_duration_seconds_bucket{instance="a",le="0.1"}': `0+600${MINUTES}`,
  'http_request_duration_seconds_bucket{instance="a",le="2.5"}': `0+600${MINUTES}`,
  'http_request_duration_seconds_bucket{instance="a",le="5"}': `0+600${MINUTES}`,
  'http_request_duration_seconds_bucket{instance="a",le="+Inf"}': `0+600${MINUTES}`,
  'auth_dependency_up{instance="a",dependency="database"}': `1${MINUTES}`,
  'auth_dependency_up{instance="a",dependency="redis"}': `1${MINUTES}`,
  'redis_command_errors_total{instance="a",command="set"}': `0${MINUTES}`,
  'auth_sms_sends_total{instance="a",result="sent"}': `0+20${MINUTES}`,
  'auth_sms_sends_total{instance="a",result="failed"}': `0${MINUTES}`,
  'auth_throttled_responses_total{instance="a",method="POST",route="/auth/login/json"}': `0+1${MINUTES}`,
  'auth_audit_write_failures_total{instance="a",action="member.signed_up"}': `0${MINUTES}`
}

interface Trouble { alert: string, series: Series, labels?: Record<string, string> }
const troubles: Trouble[] = [
  {
    alert: 'MobileAuthServerErrors', // 60 of 660 a minute: 9%
    series: { 'http_requests_total{instance="a",method="GET",route="/auth/me",status_code="503"}': `0+60${MINUTES}` }
  },
  {
    alert: 'MobileAuthSlowRequests', // a sixth of the answers between 2.5 and 5 s
    series: {
      'http_request_duration_seconds_bucket{instance="a",le="5"}': `0+720${MINUTES}`,
      'http_request_duration_seconds_bucket{instance="a",le="+Inf"}': `0+720${MINUTES}`
    }
  },
  {
    alert: 'MobileAuthPostgresDown',
    series: { 'auth_dependency_up{instance="a",dependency="database"}': `1 1 1 0${MINUTES}` },
    labels: { instance: 'a', dependency: 'database' }
  },
  {
    alert: 'MobileAuthRedisDown',
    series: { 'auth_dependency_up{instance="a",dependency="redis"}': `1 1 1 0${MINUTES}` },
    labels: { instance: 'a', dependency: 'redis' }
  },
  {
    alert: 'MobileAuthRedisCommandErrors', // 1 a second
    series: { 'redis_command_errors_total{instance="a",command="set"}': `0+60${MINUTES}` }
  },
  {
    alert: 'MobileAuthSmsFailures', // 10 of 30 texts a minute
    series: { 'auth_sms_sends_total{instance="a",result="failed"}': `0+10${MINUTES}` }
  },
  {
    alert: 'MobileAuthThrottlingSurge', // 120 of 600 a minute
    series: {
      'auth_throttled_responses_total{instance="a",method="POST",route="/auth/login/json"}': `0+120${MINUTES}`
    }
  },
  {
    alert: 'MobileAuthAuditWriteFailures', // one refused entry, two minutes before the evaluation
    series: { 'auth_audit_write_failures_total{instance="a",action="member.signed_up"}': '0x27 1x12' }
  }
]

/** promtool compares annotations too; the cases check expressions, durations and labels, so drop them. */
function withoutAnnotations (): string {
  const file = parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }
  for (const group of file.groups) for (const rule of group.rules) delete rule.annotations
  return stringify(file)
}

const inputSeries = (series: Series) =>
  Object.entries({ ...healthy, ...series }).map(([name, values]) => ({ series: name, values }))

t.test('promtool test rules: each alert fires on its trouble and none on a healthy service', {
  skip: noPromtool
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'alerts-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'rules.yaml'), withoutAnnotations())
  // At 30 minutes every `for:` (10 m at most) has run its course since the trouble began.
  const at = '30m'
  const cases = {
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: inputSeries({}),
        alert_rule_test: rules.map(rule => ({ eval_time: at, alertname: rule.alert, exp_alerts: [] }))
      },
      ...troubles.map(trouble => ({
        interval: '1m',
        input_series: inputSeries(trouble.series),
        alert_rule_test: rules.map(rule => ({
          eval_time: at,
          alertname: rule.alert,
          // One trouble, one alert: the others stay quiet, so no rule fires on another's symptom.
          exp_alerts: rule.alert === trouble.alert
            ? [{ exp_labels: { severity: rule.labels!.severity!, ...trouble.labels } }]
            : []
        }))
      }))
    ]
  }
  await writeFile(join(dir, 'cases.yaml'), stringify(cases))
  const outcome = await run('promtool', ['test', 'rules', 'cases.yaml'], { cwd: dir }).then(
    ({ stdout }) => ({ ok: true, text: stdout }),
    (error: { stdout?: string, stderr?: string }) => ({ ok: false, text: `${error.stdout ?? ''}${error.stderr ?? ''}` })
  )
  t.ok(outcome.ok, 'promtool test rules passes', { output: outcome.text })
  t.match(outcome.text, /SUCCESS/)
  t.equal(troubles.length, rules.length, 'a trouble for every rule')
})
