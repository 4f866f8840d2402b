import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { openPglite } from '../../src/adapters/drizzle/database.js'
import { DataDirLockedError, takeDataDirLock } from '../../src/adapters/local-storage/data-dir-lock.js'
import { uniqueSuffix } from '../helpers/services.js'
import { checkCreated, checkRefused, staffAdd } from '../helpers/staff-add-runs.js'
import { runToExit } from '../helpers/run-to-exit.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { EXIT } from '../../src/adapters/cli/command-outcome.js'

// staff:add on the embedded database, a file of its own: each run opens PGlite (seconds on a busy
// machine), and apart from the other cases (staff-add.test.ts) the two files run side by side.
t.setTimeout(300_000)

t.test('embedded database (no DATABASE_URL): adds staff in DATA_DIR as the service would open it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'staff-add-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { DATA_DIR: dataDir }
  const open = () => openPglite(join(dataDir, 'pglite'))

  const email = `admin-${uniqueSuffix()}@example.com`
  await checkCreated(t, await staffAdd(env, ['--email', email.toUpperCase(), '--role', 'admin']), open, {
    email,
    role: 'admin'
  })
  checkRefused(
    t,
    await staffAdd(env, ['--email', email, '--role', 'reviewer', '--password', 'another password']),
    EXIT.refused,
    { event: 'staff.refused', problems: { email: ['email_taken'] } }
  )

  const reviewer = `reviewer-${uniqueSuffix()}@example.com`
  await checkCreated(
    t,
    await staffAdd(env, ['--email', reviewer, '--role', 'reviewer', '--password', 'correct horse battery']),
    open,
    { email: reviewer, role: 'reviewer', password: 'correct horse battery' }
  )

  // A second process on the embedded database's files would lose data: the command hands its work
  // to the holder of DATA_DIR's lock, and gives up when none answers (here the test holds the lock).
  const service = await takeDataDirLock(dataDir)
  try {
    checkRefused(
      t,
      // A short wait: nobody will answer, and the 15 s default would only slow the suite.
      await staffAdd({ ...env, STAFF_INBOX_WAIT_MS: '1000' }, [
        '--email',
        `x-${uniqueSuffix()}@example.com`,
        '--role',
        'admin'
      ]),
      EXIT.tryAgain,
      { event: 'data_dir.locked', dataDir, hint: /did not answer in time .*: try again$/ }
    )
  } finally {
    await service.release()
  }

  // While the command works on the database it holds the lock: a service started meanwhile refuses.
  const working = staffAdd(env, ['--email', `y-${uniqueSuffix()}@example.com`, '--role', 'admin'])
  for (let i = 0; i < 600 && !existsSync(join(dataDir, 'service.lock')); i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  const refused = await takeDataDirLock(dataDir).then(
    async lock => {
      await lock.release()
      return null
    },
    (error: unknown) => error
  )
  t.type(refused, DataDirLockedError, 'the lock is held while the command runs')
  t.equal((await working).code, 0)
  t.notOk(existsSync(join(dataDir, 'service.lock')), 'and released when it ends')

  // With no service running, the other staff commands open the embedded database themselves; its
  // console sessions lived in the stopped service's memory, so there are none left to end.
  const disabled = await runToExit('cli', ['staff', 'disable', '--email', reviewer], env)
  t.equal(disabled.code, 0, disabled.stderr)
  t.match(JSON.parse(disabled.stdout), { event: 'staff.disabled', email: reviewer, sessions: 'none' })
  const handle = await open()
  try {
    t.equal((await createDrizzleStaffRepository(handle.db, randomIds).findByEmail(reviewer))?.disabled, true)
  } finally {
    await handle.close()
  }
})
