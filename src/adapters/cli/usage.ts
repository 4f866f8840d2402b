import type { ConfigError } from '../config/config-error.js'
import { EXIT, type CommandOutcome } from './command-outcome.js'

/** A command line that names no command, or one with a missing or malformed argument: exit 64. */
export function usage (problem: string | null, lines: string[]): CommandOutcome {
  return {
    code: EXIT.usage,
    line: { event: 'cli.usage', ...(problem === null ? {} : { problem }), usage: lines.map(line => `cli.js ${line}`) }
  }
}

/** An environment the command cannot run with: every problem at once, as the service reports them (78). */
export function configInvalid (error: ConfigError): CommandOutcome {
  return {
    code: EXIT.config,
    line: { event: 'config.invalid', problems: error.problems, nearMisses: error.nearMisses }
  }
}
