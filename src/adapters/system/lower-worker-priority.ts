import { readdirSync, readFileSync } from 'node:fs'
import { setPriority } from 'node:os'

/** How far below the event loop libuv's workers run (nice 10: about a tenth of a core's share against it). */
export const WORKER_NICE = 10

/**
 * Lowers the CPU priority of libuv's worker threads below the event loop's. argon2 hashes there,
 * each a CPU-bound 20 ms; at the same priority a login storm takes the cores from the event loop
 * and every token route's latency with them. Below it, the storm gets whatever CPU the event loop
 * leaves, and a quiet instance still hashes at full speed. Linux only, where each thread has its
 * own nice value (`setpriority` on a thread id) and /proc names them `libuv-worker`; elsewhere, or
 * when the threads are not started yet, nothing changes. Answers how many threads were lowered.
 */
export function lowerWorkerPriority (nice = WORKER_NICE): number {
  let lowered = 0
  let tasks: string[]
  try {
    tasks = readdirSync('/proc/self/task')
  } catch {
    return 0
  }
  for (const tid of tasks) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== 'libuv-worker') continue
      setPriority(Number(tid), nice)
      lowered++
    } catch {
      // A thread that ended meanwhile, or a system that refuses: the default priority stays.
    }
  }
  return lowered
}
