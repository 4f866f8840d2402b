import { pbkdf2 } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { getPriority } from 'node:os'
import { promisify } from 'node:util'
import t from 'tap'
import { WORKER_NICE, lowerWorkerPriority } from '../../src/adapters/system/lower-worker-priority.js'

const workers = (): number[] => readdirSync('/proc/self/task')
  .filter((tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'libuv-worker')
  .map(Number)

t.test(
  'libuv workers run below the event loop',
  { skip: process.platform !== 'linux' && 'threads have their own nice value on Linux only' },
  async t => {
    await promisify(pbkdf2)('password', 'salt', 1, 32, 'sha256') // starts the pool
    const lowered = lowerWorkerPriority()
    t.ok(lowered > 0, `lowered ${lowered} threads`)
    t.same(
      workers().map(tid => getPriority(tid)),
      workers().map(() => WORKER_NICE),
      'every worker'
    )
    t.equal(getPriority(process.pid), 0, 'the event loop (the process, its main thread) keeps its priority')
    t.equal(lowerWorkerPriority(), lowered, 'again: nothing else changes')
  }
)
