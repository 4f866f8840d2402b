/** Every problem of an environment at once, and the variables that look like typos of ours. */
export class ConfigError extends Error {
  constructor (readonly problems: string[], readonly nearMisses: Array<{ variable: string, known: string }> = []) {
    super('Invalid configuration:\n' + problems.map((problem) => `  - ${problem}`).join('\n'))
  }
}
