import { parseArgs } from 'node:util'

/** The staff commands, as typed after `staff`. */
export type StaffArguments =
  | { command: 'add', email: string, role: string, password: string | null }
  | { command: 'reset-password' | 'reset-second-factor' | 'disable' | 'enable', email: string }
  | { command: 'list' }

export const STAFF_USAGE = [
  'staff add --email E --role admin|reviewer [--password P]',
  'staff reset-password --email E',
  'staff reset-second-factor --email E',
  'staff disable --email E',
  'staff enable --email E',
  'staff list'
]

const ONE_MEMBER = ['reset-password', 'reset-second-factor', 'disable', 'enable'] as const

/** The arguments of one staff command, or what is wrong with them (a usage problem, exit 64). */
export function readStaffArguments (args: string[]): StaffArguments | { problem: string } {
  const [command, ...rest] = args
  try {
    if (command === 'add') {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
        strict: true,
        allowPositionals: false
      })
      if (values.email === undefined || values.role === undefined) {
        return { problem: 'staff add needs --email and --role' }
      }
      return { command, email: values.email, role: values.role, password: values.password ?? null }
    }
    if ((ONE_MEMBER as readonly string[]).includes(command ?? '')) {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true })
      if (values.email === undefined) return { problem: `staff ${command} needs --email` }
      return { command: command as typeof ONE_MEMBER[number], email: values.email }
    }
    if (command === 'list') {
      parseArgs({ args: rest, options: {}, strict: true })
      return { command }
    }
  } catch (error) {
    // parseArgs names the unknown option or the missing value ("Unknown option '--colour'").
    return { problem: (error as Error).message }
  }
  return { problem: command === undefined ? 'staff needs a command' : `unknown staff command '${command}'` }
}
