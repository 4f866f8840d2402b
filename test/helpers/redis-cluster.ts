import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import type { Test } from 'tap'
import { freePort } from './free-port.js'
import { QUICK } from './services.js'

const IN_CI = process.env.CI === 'true'
const run = promisify(execFile)

/**
 * Whether the cluster suites must skip: false when `redis-server` and `redis-cli` run. Outside CI
 * a missing one skips with the reason; under CI=true it is a failure, never a silent skip.
 */
export const noRedisCluster: false | string = QUICK !== false
  ? QUICK
  : (() => {
      for (const binary of ['redis-server', 'redis-cli']) {
        const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' })
        if (probe.status === 0) continue
        const reason = `${binary} not runnable (${probe.error?.message ?? probe.stderr.trim()})`
        if (IN_CI) throw new Error(`${reason}; CI=true requires it (apt-get install redis-server redis-tools)`)
        return `${reason}; skipped outside CI`
      }
      return false
    })()

export interface RedisCluster {
  /** Every node's address, masters and replicas: the seeds a client starts from. */
  seeds: Array<{ host: string, port: number }>
  /** `REDIS_CLUSTER_NODES` for these seeds. */
  nodesVariable: string
  /**
   * Kills the master serving `key`'s slot (the key as the server sees it, prefix included), waits
   * until its replica is promoted and the cluster is ok again; answers the killed port.
   */
  killMaster (key: string): Promise<number>
  stop (): Promise<void>
}

/** How long the cluster may take to form, or to promote a replica, before the test fails. */
const SETTLE_MS = 30_000

/**
 * Three masters and three replicas on free loopback ports, in a temporary directory, with no
 * persistence (a killed master's data lives on in its replica only). One per test file: forming it
 * takes about two seconds. Stopped with the test.
 */
export async function startRedisCluster (t: Test): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'))
  const processes = new Map<number, ChildProcess>()
  const stop = async () => {
    await Promise.all([...processes.values()].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await once(child, 'exit')
    }))
    processes.clear()
    await rm(dir, { recursive: true, force: true })
  }
  t.teardown(stop)

  const ports = await distinctFreePorts(6)
  for (const port of ports) {
    const child = spawn('redis-server', [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${port}.conf`,
      '--cluster-node-timeout', '1000',
      // A replica promotes itself however long ago it last heard from its master: the killed
      // master is never coming back here, and the test fails if its data did not get through.
      '--cluster-replica-validity-factor', '0',
      '--appendonly', 'no',
      '--save', ''
    ], { stdio: 'ignore' })
    processes.set(port, child)
  }
  await Promise.all(ports.map((port) => until(() => ping(port), `node ${port} to answer`)))
  await run('redis-cli', [
    '--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas', '1', '--cluster-yes'
  ])
  const seeds = ports.map((port) => ({ host: '127.0.0.1', port }))
  // Every node must agree, and know each replica's master, before a client or a failover can rely on it.
  await until(async () => (await Promise.all(ports.map(clusterOk))).every(Boolean), 'cluster_state:ok everywhere')
  // A replica that has not finished its first sync copies nothing its master is given meanwhile.
  await until(async () => (await Promise.all(ports.map(synced))).every(Boolean), 'every replica in sync')

  return {
    seeds,
    nodesVariable: seeds.map(({ host, port }) => `${host}:${port}`).join(','),
    stop,
    async killMaster (key) {
      const live = [...processes.keys()]
      const slot = Number(await cli(live[0]!, 'cluster', 'keyslot', key))
      const master = await masterOf(live, slot)
      processes.get(master)!.kill('SIGKILL')
      await once(processes.get(master)!, 'exit')
      processes.delete(master)
      const rest = [...processes.keys()]
      // Every live node must name the new master: a client asks any of them for the slot map.
      await until(async () => {
        const views = await Promise.all(rest.map((port) => masterOf([port], slot).catch(() => master)))
        return views.every((now) => now !== master) && (await Promise.all(rest.map(clusterOk))).every(Boolean)
      }, `a replica to take slot ${slot} over from ${master}`)
      return master
    }
  }
}

async function distinctFreePorts (count: number): Promise<number[]> {
  const ports = new Set<number>()
  // A cluster node also listens on its port + 10000: both must be free, and ports stay below 55536.
  while (ports.size < count) {
    const port = await freePort()
    if (port >= 55536 || ports.has(port) || ports.has(port + 10000) || ports.has(port - 10000)) continue
    if (await listenable(port + 10000)) ports.add(port)
  }
  return [...ports]
}

async function listenable (port: number): Promise<boolean> {
  const server = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
    return true
  } catch {
    return false
  } finally {
    server.close()
  }
}

async function cli (port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])
  return stdout.trim()
}

async function ping (port: number): Promise<boolean> {
  return await cli(port, 'ping').catch(() => '') === 'PONG'
}

async function clusterOk (port: number): Promise<boolean> {
  return (await cli(port, 'cluster', 'info').catch(() => '')).includes('cluster_state:ok')
}

/** A master, or a replica whose link to its master is up. */
async function synced (port: number): Promise<boolean> {
  const info = await cli(port, 'info', 'replication').catch(() => '')
  return info.includes('role:master') || info.includes('master_link_status:up')
}

/** The port of the master serving `slot`, as the first live node that answers sees it. */
async function masterOf (live: number[], slot: number): Promise<number> {
  for (const port of live) {
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 })
    try {
      await redis.connect()
      const ranges = await redis.call('cluster', 'slots') as Array<[number, number, [string, number]]>
      const range = ranges.find(([from, to]) => from <= slot && slot <= to)
      if (range !== undefined) return range[2][1]
    } catch {
      // this node is not answering: ask the next
    } finally {
      redis.disconnect()
    }
  }
  throw new Error(`no live node knows who serves slot ${slot}`)
}

async function until (check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + SETTLE_MS
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await sleep(100)
  }
}
