import { createServer, connect, type Socket } from 'node:net'
import type { Test } from 'tap'

export type ProxyMode = 'pass' | 'refuse' | 'blackhole'

/**
 * A loopback TCP proxy in front of PostgreSQL or Redis that a test can break on purpose:
 * `refuse` resets every connection and refuses new ones (the server stopped); `blackhole` keeps
 * connections open but lets nothing through (a dead network: no answer, no error). Going back to
 * `pass` resets what the fault left behind, as a healed network's stale connections would be.
 */
export async function startTcpProxy (t: Test, target: { host: string, port: number }) {
  let mode: ProxyMode = 'pass'
  const pairs = new Set<{ client: Socket, upstream: Socket | null }>()

  const server = createServer((client) => {
    if (mode === 'refuse') { client.resetAndDestroy(); return }
    const pair = { client, upstream: null as Socket | null }
    pairs.add(pair)
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      pair.upstream?.destroy()
    }
    client.on('error', end).on('close', end)
    if (mode === 'blackhole') { client.on('data', () => {}); return }
    const upstream = connect(target.port, target.host)
    pair.upstream = upstream
    upstream.on('error', end).on('close', end)
    client.on('data', (chunk) => { if (mode === 'pass') upstream.write(chunk) })
    upstream.on('data', (chunk) => { if (mode === 'pass') client.write(chunk) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const { client, upstream } of pairs) { client.destroy(); upstream?.destroy() }
    server.close()
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no proxy port')

  const resetAll = () => {
    for (const { client, upstream } of [...pairs]) { client.resetAndDestroy(); upstream?.destroy() }
    pairs.clear()
  }

  return {
    port: address.port,
    /** Breaks or heals the link. */
    set (next: ProxyMode): void {
      const previous = mode
      mode = next
      if (next === 'refuse' || (next === 'pass' && previous === 'blackhole')) resetAll()
    }
  }
}
