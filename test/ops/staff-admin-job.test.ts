import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { EXIT } from '../../src/adapters/cli/command-outcome.js'
import { buildImageLayout } from '../helpers/image-layout.js'
import {
  createTestDatabase, createTestRedisPrefix, noPg, noRedis, TEST_REDIS_URL, uniqueSuffix
} from '../helpers/services.js'

// deploy/staff-admin-job.yaml run as the cluster would run it: its command line, in the image's
// layout (compiled code, no sources, read-only, the image's user, NODE_ENV=production from the
// image), with exactly the variables the Job sets, pointed at a test database and Redis. It makes
// the first admin and prints the one-time password; a second run changes nothing.
t.setTimeout(300_000)

interface EnvVar {
  name: string
  value?: string
  valueFrom?: { secretKeyRef?: { key: string }, configMapKeyRef?: { key: string } }
}
interface JobContainer { command: string[], args?: string[], env?: EnvVar[], envFrom?: unknown[] }
const job = parse(readFileSync(new URL('../../deploy/staff-admin-job.yaml', import.meta.url), 'utf8')) as {
  spec: { template: { spec: { containers: JobContainer[] } } }
}
const container = job.spec.template.spec.containers[0]!
const skip = noPg || noRedis

t.test('the first-admin Job makes an admin with only the database and Redis', { skip }, async (t) => {
  const layout = await buildImageLayout(t)
  const database = await createTestDatabase(t)
  // What the cluster would put in each variable: the Secret's and the ConfigMap's keys, here ours.
  const values: Record<string, string> = {
    DATABASE_URL: database,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: createTestRedisPrefix(t)
  }
  t.notOk(container.envFrom, 'the Job takes single keys, not the whole Secret')
  const env: Record<string, string> = { NODE_ENV: 'production' } // the image's ENV
  for (const variable of container.env ?? []) {
    const key = variable.valueFrom?.secretKeyRef?.key ?? variable.valueFrom?.configMapKeyRef?.key ?? variable.name
    const value = variable.value ?? values[key]
    t.ok(value !== undefined, `${variable.name} is one the test can fill`)
    env[variable.name] = value ?? ''
  }

  const argv = [...container.command, ...(container.args ?? [])]
  t.same(argv.slice(0, 2), ['node', 'dist/cli.js'], 'node runs the image\'s command-line tool')
  const email = `first-admin-${uniqueSuffix()}@example.com`
  const args = argv.slice(2).map((arg, index, all) => all[index - 1] === '--email' ? email : arg)

  const first = await layout.cli(args, env)
  t.equal(first.code, EXIT.ok, `${first.stdout}${first.stderr}`)
  t.equal(first.stderr, '', 'nothing on stderr')
  const lines = first.stdout.trimEnd().split('\n')
  t.equal(lines.length, 1, 'one line, for kubectl logs')
  t.match(JSON.parse(lines[0]!), {
    event: 'staff.added',
    email,
    role: 'admin',
    oneTimePassword: String,
    mustChangePassword: true
  }, 'an admin with a one-time password to change at the first sign-in')

  const again = await layout.cli(args, env)
  t.equal(again.code, EXIT.refused, 'a second run is refused: the email exists')
  t.match(JSON.parse(again.stderr.trimEnd()), { event: 'staff.refused' })
})
