import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import postgres from 'postgres'

export const POSTGRES_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'

const ROOT = new URL('..', import.meta.url).pathname

/** A fresh database and Redis key prefix for one run; `drop()` removes both. */
export async function createScratchStores () {
  const suffix = randomBytes(6).toString('hex')
  const name = `bench_${suffix}`
  const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  const keyPrefix = `bench:${suffix}:`
  return {
    databaseUrl: url.toString(),
    keyPrefix,
    async drop () {
      await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {})
      await admin.end({ timeout: 2 })
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
      try {
        let cursor = '0'
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000)
          if (keys.length > 0) await redis.del(...keys)
          cursor = next
        } while (cursor !== '0')
      } finally { redis.disconnect() }
    }
  }
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

export interface Child { process: ChildProcess, stderr: () => string, stop: () => Promise<void> }

/**
 * A child Node process running a TypeScript file through tsx (or plain JS with `tsx: false`);
 * `nodeArgs` go to Node itself (`--cpu-prof`).
 */
export function startNode (
  file: string,
  args: string[],
  env: Record<string, string>,
  { tsx = true, nodeArgs = [] as string[] } = {}
): Child {
  const child = spawn(process.execPath, [...nodeArgs, ...(tsx ? ['--import', 'tsx'] : []), file, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000)
  })
  return {
    process: child,
    stderr: () => stderr,
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
  }
}

/** Resolves with the first stdout line of a child, parsed as JSON. */
export async function firstJsonLine<T> (child: Child): Promise<T> {
  return await new Promise((resolve, reject) => {
    let out = ''
    child.process.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const end = out.indexOf('\n')
      if (end >= 0) resolve(JSON.parse(out.slice(0, end)) as T)
    })
    child.process.once('exit', code => reject(new Error(`child exited (${code}) before answering: ${child.stderr()}`)))
  })
}

/** Polls `GET /ready` until the service answers 200. */
export async function waitReady (base: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`service exited with ${child.process.exitCode}:\n${child.stderr()}`)
    }
    try {
      if ((await fetch(`${base}/ready`)).status === 200) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`service not ready after ${timeoutMs} ms:\n${child.stderr()}`)
}
