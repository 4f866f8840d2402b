/**
 * What a command of `node dist/cli.js` ends with: one JSON object on one line (stdout when it
 * worked, stderr when it did not) and an exit code from sysexits(3), so a Job, a script or a
 * person can tell "fix the arguments" from "fix the configuration" from "try again".
 */
export interface CommandOutcome {
  code: ExitCode
  /** `event` names what happened (`staff.added`, `migrate.applied`, `command.refused`, ...). */
  line: { event: string, [field: string]: unknown }
}

export const EXIT = {
  ok: 0,
  /** Something else failed: the line says what. */
  failed: 1,
  /** EX_USAGE: unknown command, missing or malformed argument. */
  usage: 64,
  /** EX_DATAERR: the arguments are well formed but refused (a taken email, a short password). */
  refused: 65,
  /** EX_NOUSER: the staff member (or key) named does not exist. */
  notFound: 67,
  /** EX_UNAVAILABLE: PostgreSQL (or the embedded database) could not be reached. */
  unavailable: 69,
  /** EX_TEMPFAIL: busy (the embedded database is held by a running service): try again. */
  tryAgain: 75,
  /** EX_CONFIG: the environment is wrong (the same code the service exits with). */
  config: 78
} as const

export type ExitCode = typeof EXIT[keyof typeof EXIT]

/**
 * The causes where the store answered but the settings are wrong (a password, a role, a database
 * name, DATA_DIR): fix the configuration (EX_CONFIG), not worth retrying. Shared by `migrate` and
 * the staff commands so they answer the same cause with the same code.
 */
export const MISCONFIGURED = new Set(['28P01', '28000', '3D000', 'EACCES', 'EPERM', 'EROFS'])

/** Prints the outcome as one line and sets the exit code; the process then ends on its own. */
export function report (outcome: CommandOutcome): void {
  const stream = outcome.code === EXIT.ok ? process.stdout : process.stderr
  stream.write(JSON.stringify({ time: new Date().toISOString(), ...outcome.line }) + '\n')
  process.exitCode = outcome.code
}
