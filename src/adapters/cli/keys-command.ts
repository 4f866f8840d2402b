import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError } from '../config/config-error.js'
import { readDataDir } from '../config/database-config.js'
import { EnvReader } from '../config/env-reader.js'
import { jwtKeySet, readJwtKeys } from '../config/jwt-keys-config.js'
import { generateSigningKey, KID, SIGNING_ALGORITHMS, type SigningAlgorithm } from '../system/signing-keys.js'
import { EXIT, type CommandOutcome } from './command-outcome.js'
import { configInvalid, usage } from './usage.js'

export const KEYS_USAGE = [
  `keys generate --alg ${SIGNING_ALGORITHMS.join('|')} [--kid K]`,
  'keys list'
]

/**
 * `keys generate` makes a token key; `keys list` shows the configured set. Neither opens a store.
 * generate is the one command that prints a secret: the private JWK, on stdout, for the operator
 * to put in the secret store's JWT_KEYS (docs/operations.md, "Signing keys and rotation").
 */
export async function runKeysCommand (args: string[], env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  const [command, ...rest] = args
  try {
    if (command === 'generate') {
      const { values } = parseArgs({
        args: rest,
        options: { alg: { type: 'string' }, kid: { type: 'string' } },
        strict: true
      })
      return generate(values.alg, values.kid)
    }
    if (command === 'list') {
      parseArgs({ args: rest, options: {}, strict: true })
      return await list(env)
    }
  } catch (error) {
    // parseArgs names the unknown option or the missing value.
    return usage((error as Error).message, KEYS_USAGE)
  }
  return usage(command === undefined ? 'keys needs a command' : `unknown keys command '${command}'`, KEYS_USAGE)
}

function generate (alg: string | undefined, kid: string | undefined): CommandOutcome {
  if (alg === 'ES256') {
    return usage(
      'ES256 is not offered: its signatures are randomised, and a repeated refresh must get the same pair; use EdDSA',
      KEYS_USAGE
    )
  }
  if (alg === undefined || !(SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
    return usage(`keys generate needs --alg ${SIGNING_ALGORITHMS.join(' or ')}`, KEYS_USAGE)
  }
  if (kid !== undefined && !KID.test(kid)) return usage('--kid takes 1 to 64 letters, digits or . _ : -', KEYS_USAGE)
  const key = generateSigningKey(alg as SigningAlgorithm, kid)
  return {
    code: EXIT.ok,
    line: {
      event: 'keys.generated',
      kid: key.kid,
      alg: key.alg,
      jwk: key.jwk,
      next: 'Add jwk to the JWT_KEYS array in the secret store; it verifies only until JWT_SIGNING_KEY names ' +
        'its kid. This line holds a private key: keep it out of logs and shell history.'
    }
  }
}

/** The set as the service would build it from this environment: kids, algorithms, which signs; no key material. */
async function list (env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  const read = new EnvReader(env)
  const configured = read.optional('JWT_SECRET')
  if (configured !== null && configured.length < 32) read.fail('JWT_SECRET', 'must be at least 32 characters', null)
  const config = readJwtKeys(read, configured)
  const dataDir = readDataDir(read)
  if (read.problems.length > 0) return configInvalid(new ConfigError(read.problems))
  // Without JWT_SECRET the service uses the secret it generated in DATA_DIR; listing never makes one.
  const secret = configured ?? await readFile(join(dataDir, 'jwt-secret'), 'utf8').then(text => text.trim(), () => null)
  const listed = new Set((config.listed ?? []).map(key => key.kid))
  const set = secret === null
    ? { keys: config.listed ?? [], signingKid: config.signingKid ?? config.listed?.[0]?.kid, unkeyedKid: null }
    : jwtKeySet(config, secret)
  return {
    code: EXIT.ok,
    line: {
      event: 'keys.listed',
      keys: set.keys.map(key => ({
        kid: key.kid,
        alg: key.alg,
        use: 'sig',
        signing: key.kid === set.signingKid,
        from: listed.has(key.kid) ? 'JWT_KEYS' : 'JWT_SECRET',
        // Published at /.well-known/jwks.json: the Ed25519 keys (their public halves).
        published: key.alg !== 'HS256',
        ...(key.kid === set.unkeyedKid ? { verifiesTokensWithoutKid: true } : {})
      }))
    }
  }
}
