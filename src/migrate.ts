import { ConfigError, loadConfig } from './adapters/config/load-config.js'
import { connectPostgres, openPglite } from './adapters/drizzle/database.js'
import { takeDataDirLock } from './adapters/local-storage/data-dir-lock.js'
import { join } from 'node:path'

// `npm run db:migrate`: applies pending migrations and exits (a deploy step before the rollout).
try {
  const config = loadConfig(process.env)
  // The embedded database is one writer's (data-dir-lock.ts): refused while a service holds it.
  const lock = config.database.url === null ? await takeDataDirLock(config.dataDir) : null
  const database =
    config.database.url === null
      ? await openPglite(join(config.dataDir, 'pglite'))
      : connectPostgres({
        url: config.database.url,
        poolSize: 2,
        connectTimeoutSeconds: config.database.connectTimeoutSeconds
      })
  await database.migrate()
  await database.close()
  await lock?.release()
  process.stdout.write('migrations applied\n')
} catch (error) {
  process.stderr.write(
    (error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`) + '\n'
  )
  process.exit(1)
}
