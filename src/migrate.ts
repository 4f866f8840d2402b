import { runMigrateCommand } from './adapters/cli/migrate-command.js'
import { report } from './adapters/cli/command-outcome.js'

// `npm run db:migrate`: the `migrate` command of the command-line tool, on its own (one JSON line,
// a sysexits code). It reads the database's settings only; see src/adapters/cli/migrate-command.ts.
report(await runMigrateCommand(process.env))
