/** The work did not settle within its deadline. */
export class DeadlineExceeded extends Error {
  constructor (readonly ms: number) { super(`no answer within ${ms} ms`) }
}

/**
 * Bounds a call that has no deadline of its own, or one a trickling answer keeps resetting (a
 * socket idle timeout): after `ms` the returned promise rejects with DeadlineExceeded. The timer
 * is cleared as soon as the work settles (it is not unref'd: a caller awaiting work that never
 * settles must still hear the deadline); a late answer or failure of the abandoned work is ignored.
 */
export async function withDeadline<T> (work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms)
  })
  work.catch(() => {}) // abandoned work may fail later: not an unhandled rejection
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}
