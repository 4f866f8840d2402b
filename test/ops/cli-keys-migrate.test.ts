import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { EXIT } from '../../src/adapters/cli/command-outcome.js'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { buildImageLayout } from '../helpers/image-layout.js'
import type { Run } from '../helpers/run-to-exit.js'
import { createTestDatabase, noPg } from '../helpers/services.js'

// `keys` and `migrate` of `node dist/cli.js`, run as the image runs them (test/helpers/image-layout.ts:
// no src/, no compiler, read-only files, uid 1000, NODE_ENV=production): the migration with
// DATABASE_URL alone, the keys with only their own settings. One JSON line and an exit code each.
t.setTimeout(300_000)

const layout = await buildImageLayout(t)

function outcome (t: Test, run: Run, code: number): Record<string, unknown> {
  t.equal(run.code, code, `${run.stdout}${run.stderr}`)
  const [printed, silent] = code === 0 ? [run.stdout, run.stderr] : [run.stderr, run.stdout]
  t.equal(silent, '', 'nothing on the other stream')
  t.equal(printed.trimEnd().split('\n').length, 1, 'one line')
  const line = JSON.parse(printed) as Record<string, unknown>
  t.match(line, { time: /^\d{4}-\d\d-\d\dT.*Z$/, event: String })
  return line
}

t.test('migrate with DATABASE_URL alone: applies every migration, then none; the tables are there', { skip: noPg },
  async t => {
    const url = await createTestDatabase(t)
    const env = { NODE_ENV: 'production', DATABASE_URL: url }
    const first = outcome(t, await layout.cli(['migrate'], env), EXIT.ok)
    t.match(first, { event: 'migrate.applied', store: 'postgres', count: Number })
    t.ok((first.count as number) > 0, 'an empty database gets every migration')
    t.same(first.applied, (first.applied as string[]).toSorted(), 'in order')
    const again = outcome(t, await layout.cli(['migrate'], env), EXIT.ok)
    t.match(again, { event: 'migrate.applied', count: 0, applied: [] })
    const handle = connectPostgres({ url, poolSize: 1, connectTimeoutSeconds: 5 })
    t.teardown(() => handle.close())
    const tables = await handle.db.execute(sql`select to_regclass('public.staff') is not null as present`)
    t.same([...tables as unknown as Array<{ present: boolean }>].map(row => row.present), [true])
    t.match(outcome(t, await layout.cli(['migrate', '--now'], env), EXIT.usage), { event: 'cli.usage' })
  }
)

t.test('migrate refuses the embedded default in production (exit 78) and names an unreachable server (69)',
  async t => {
    t.match(outcome(t, await layout.cli(['migrate'], { NODE_ENV: 'production' }), EXIT.config), {
      event: 'config.invalid', problems: [/^DATABASE_URL is required/]
    })
    const down = outcome(t, await layout.cli(['migrate'], {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://auth:hunter2-secret@127.0.0.1:1/auth'
    }), EXIT.unavailable)
    t.match(down, { event: 'migrate.failed', store: 'postgres', host: '127.0.0.1', port: '1' })
    t.notMatch(JSON.stringify(down), /hunter2/, 'never the password')
  }
)

t.test('keys generate prints one private JWK; keys list shows the set it makes, without key material', async t => {
  const generated = outcome(t, await layout.cli(['keys', 'generate', '--alg', 'EdDSA', '--kid', 'k2'], {}), EXIT.ok)
  t.match(generated, {
    event: 'keys.generated',
    kid: 'k2',
    alg: 'EdDSA',
    jwk: { kty: 'OKP', crv: 'Ed25519', d: String }
  })
  const env = {
    NODE_ENV: 'production',
    JWT_KEYS: JSON.stringify([generated.jwk]),
    JWT_SECRET_VERIFIES: 'false',
    JWT_SIGNING_KEY: 'k2'
  }
  const listed = outcome(t, await layout.cli(['keys', 'list'], env), EXIT.ok)
  t.match(listed, { event: 'keys.listed', keys: [{ kid: 'k2', alg: 'EdDSA', signing: true, published: true }] })
  t.notMatch(JSON.stringify(listed), (generated.jwk as { d: string }).d, 'the private part is not listed')
  t.match(outcome(t, await layout.cli(['keys', 'rotate'], {}), EXIT.usage), { event: 'cli.usage', problem: /rotate/ })
})
