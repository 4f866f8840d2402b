import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { entryPoint } from './entry-point.js'

export interface Run { code: number | null, stdout: string, stderr: string }

/**
 * Runs one of the service's entry points (`main`, `cli`) as a process with only PATH and
 * `env` set, and answers how it exited and what it printed. Killed after two minutes.
 */
export async function runToExit (
  entry: 'main' | 'cli',
  args: string[],
  env: Record<string, string>
): Promise<Run> {
  const child = spawn(process.execPath, [...entryPoint(entry), ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return collectRun(child)
}

/** What a spawned process printed and its exit code; killed after two minutes, so a hang fails. */
export async function collectRun (child: ChildProcessByStdio<null, Readable, Readable>): Promise<Run> {
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  return { code, stdout, stderr }
}
