import type { IncomingMessage } from 'node:http'

/** How much of a refused body is still read (and thrown away) so its sender can read the answer. */
export const DISCARD_MAX_BYTES = 8 * 1024 * 1024
/** How long a refused body may take to arrive before the answer goes out anyway. */
export const DISCARD_MAX_MS = 10_000

/**
 * Reads and discards the rest of a request body the service refused before reading it all (over
 * the body limit, or a type it does not take), so the refusal is answered after the client has
 * sent everything. A parser refusal closes the connection, and closing a socket whose peer is
 * still sending makes the kernel answer with a reset: a client such as Node's fetch (undici) then
 * fails with EPIPE or ECONNRESET and never reads the 413 (measured: a 4 MiB body against a 1 MiB
 * limit failed in about half the tries). Bounded: a body whose declared rest exceeds `maxBytes`
 * is not read at all, a chunked one is read up to `maxBytes`, and none for longer than `maxMs`;
 * past the bound the answer goes out and the socket closes as before (nothing sends such a body
 * to this API by mistake). Nothing is kept in memory.
 */
export async function discardRestOfBody (
  raw: IncomingMessage,
  { maxBytes = DISCARD_MAX_BYTES, maxMs = DISCARD_MAX_MS } = {}
): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return
  if (Number(raw.headers['content-length'] ?? 0) > maxBytes) return
  await new Promise<void>(resolve => {
    let discarded = 0
    const onData = (chunk: Buffer): void => {
      discarded += chunk.length
      if (discarded > maxBytes) finish()
    }
    const finish = (): void => {
      clearTimeout(timer)
      raw.off('data', onData).off('end', finish).off('close', finish).off('error', finish)
      resolve()
    }
    const timer = setTimeout(finish, maxMs)
    raw.on('data', onData).once('end', finish).once('close', finish).once('error', finish)
    raw.resume()
  })
}
