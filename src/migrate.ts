import { ConfigError, loadConfig } from './adapters/config/load-config.js'
import { connectPostgres, openPglite } from './adapters/drizzle/database.js'
import { join } from 'node:path'

// `npm run db:migrate`: applies pending migrations and exits (a deploy step before the rollout).
try {
  const config = loadConfig(process.env)
  const database = config.database.url === null
    ? await openPglite(join(config.dataDir, 'pglite'))
    : connectPostgres({ url: config.database.url, poolSize: 2, connectTimeoutSeconds: config.database.connectTimeoutSeconds })
  await database.migrate()
  await database.close()
  process.stdout.write('migrations applied\n')
} catch (error) {
  process.stderr.write((error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`) + '\n')
  process.exit(1)
}
