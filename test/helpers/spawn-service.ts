import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import type { Test } from 'tap'
import { entryPoint } from './entry-point.js'

export interface SpawnedService {
  child: ChildProcessWithoutNullStreams
  base: string
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string
  call(
    method: string,
    path: string,
    options?: { body?: unknown, token?: string, headers?: Record<string, string> }
  ): Promise<{ status: number, body: any, headers: Headers }>
}

/**
 * The real entry point (src/main.ts, or `args` such as a built dist/main.js in `cwd`) as its own process, configured
 * only by environment, on a free port. Resolves when it says where it listens; killed when the test ends.
 */
export async function spawnService (
  t: Test,
  env: Record<string, string>,
  { args = entryPoint('main'), cwd }: { args?: string[], cwd?: string } = {}
): Promise<SpawnedService> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(cwd === undefined ? {} : { cwd })
  })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })

  const base = await new Promise<string>((resolve, reject) => {
    // A start (module loading, and initdb with the embedded default) can take most of a minute with
    // two suites at once on two cores (the whole shutdown test took 55 s): fail with the output
    // before tap's 120 s, not at 60 s on a start that was only slow.
    const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${output}`)), 100_000)
    child.on('exit', code => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before listening:\n${output}`))
    })
    child.stdout.on('data', () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
  })

  async function call (
    method: string,
    path: string,
    { body, token, headers = {} }: { body?: unknown, token?: string, headers?: Record<string, string> } = {}
  ) {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...headers
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000)
    })
    const text = await res.text()
    return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers }
  }
  return { child, base, output: () => output, call }
}
