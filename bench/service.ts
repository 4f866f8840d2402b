import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { smsTestOtp } from './prepare.js'
import { createScratchStores, freePort, REDIS_URL, startNode, waitReady, type Child } from './processes.js'

// load-config's defaults, passed explicitly below
export const ARGON2 = { memoryKiB: 19456, iterations: 2, parallelism: 1 }

const ROOT = new URL('..', import.meta.url).pathname

/**
 * How the image runs the service, read from the Dockerfile so the bench measures the same
 * process: Node's flags (between `node` and `dist/main.js` in CMD) and the environment Node and
 * libuv read themselves (UV_THREADPOOL_SIZE).
 */
export async function imageRuntime (): Promise<{ nodeArgs: string[], env: Record<string, string>, threads: number }> {
  const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8')
  const cmd = [...dockerfile.matchAll(/^CMD (\[.*\])\s*$/gm)].at(-1)?.[1]
  const nodeArgs = cmd === undefined ? [] : (JSON.parse(cmd) as string[]).slice(1, -1)
  const pool = /\bUV_THREADPOOL_SIZE=(\d+)/.exec(dockerfile)?.[1]
  return { nodeArgs, env: pool === undefined ? {} : { UV_THREADPOOL_SIZE: pool }, threads: Number(pool ?? 4) }
}

export interface ServiceOptions {
  /** Numbers given the fixed test code (SMS_TEST_OTP). */
  numbers: string[]
  /** A compiled entry point run by plain Node (`dist/main.js`), or null: src/main.ts through tsx. */
  entry: string | null
  /** NAME=value pairs added to (or overriding) the service's environment. */
  extraEnv: string[]
  /** Flags for Node itself, e.g. `--cpu-prof`. */
  nodeArgs?: string[]
}

export interface BenchService {
  base: string
  adminKey: string
  child: Child
  databaseUrl: string
  keyPrefix: string
  what: string
  /** The environment it was started with: the command-line tool runs against the same stores with it. */
  env: Record<string, string>
  /** Its compiled entry point, or null (src/main.ts through tsx). */
  entry: string | null
  /** Stops the service and removes its database, Redis keys and data directory. */
  stop (): Promise<void>
}

/**
 * The real service as a child process on a fresh database and Redis key prefix, configured only
 * through environment variables: rate limits off, the least resend cooldown, SMS caps raised,
 * fixed codes for the bench's numbers (no SMS is sent).
 */
export async function startService (
  { numbers, entry, extraEnv, nodeArgs = [] }: ServiceOptions
): Promise<BenchService> {
  const image = await imageRuntime()
  const stores = await createScratchStores()
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-bench-'))
  const adminKey = randomBytes(24).toString('hex')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: stores.databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: stores.keyPrefix,
    JWT_SECRET: randomBytes(48).toString('base64'),
    ADMIN_API_KEY: adminKey,
    SMS_TEST_OTP: smsTestOtp(numbers),
    OTP_RESEND_COOLDOWN: '1', // the least allowed; the code scenarios pace their rounds by it
    SMS_DAILY_CAP_PER_NUMBER: '100000000',
    SMS_HOURLY_CAP: '100000000',
    RATE_LIMIT_ENABLED: 'false',
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_ITERATIONS: String(ARGON2.iterations),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
    ...image.env,
    ...Object.fromEntries(extraEnv.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  }
  const what = `${entry ?? 'src/main.ts via tsx'} with ` + (
    [...image.nodeArgs, ...nodeArgs, ...Object.entries(image.env).map(([k, v]) => `${k}=${v}`)].join(' ') || 'no flags'
  )
  const flags = [...image.nodeArgs, ...nodeArgs]
  const child = entry !== null
    ? startNode(entry, [], env, { tsx: false, nodeArgs: flags })
    : startNode('src/main.ts', [], env, { nodeArgs: flags })
  const stop = async () => {
    await child.stop()
    await stores.drop()
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    await waitReady(base, child)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    base, adminKey, child, databaseUrl: stores.databaseUrl, keyPrefix: stores.keyPrefix, what, env, entry, stop
  }
}
