import { reasonOf } from '../startup-failure.js'
import { EXIT, type CommandOutcome } from './command-outcome.js'
import { KEYS_USAGE } from './keys-command.js'
import { STAFF_USAGE } from './staff-arguments.js'
import { usage } from './usage.js'

const USAGE = [...STAFF_USAGE, ...KEYS_USAGE, 'migrate', 'help']

/**
 * `node dist/cli.js <group> <command> [options]`: picks the command and answers its outcome. The
 * staff and migrate code loads only when named, so a usage mistake is answered before any
 * database driver loads.
 */
export async function runCli (argv: string[], env: Record<string, string | undefined>): Promise<CommandOutcome> {
  const [group, ...rest] = argv
  try {
    switch (group) {
      case 'staff':
        return await (await import('./staff-command.js')).runStaffCommand(rest, env)
      case 'keys':
        return await (await import('./keys-command.js')).runKeysCommand(rest, env)
      case 'migrate':
        if (rest.length > 0) return usage(`migrate takes no arguments (got '${rest.join(' ')}')`, ['migrate'])
        return await (await import('./migrate-command.js')).runMigrateCommand(env)
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return usage(null, USAGE)
      default:
        return usage(`unknown command '${group}'`, USAGE)
    }
  } catch (error) {
    // A command answers its own failures; this is the last word on anything it did not foresee.
    return { code: EXIT.failed, line: { event: 'command.failed', cause: reasonOf(error) } }
  }
}
