import type { Request } from 'autocannon'
import { runFor, statsOf } from './load.js'
import type { Fixture, Measured, Settings } from './scenarios.js'

/**
 * A console search that matches nobody: every status, and a text no username, name, number or
 * address holds, so PostgreSQL reads every member row (no trigram index) for the page and again
 * for each of the two counts. It runs on the slow pool (DATABASE_SLOW_POOL_SIZE).
 */
export const SLOW_SEARCH = '/console/queue?status=all&q=zzzz'

/** As many searches in flight as the slow pool's default size: it is kept busy, never idle. */
const SEARCHERS = 2

/**
 * `GET /api/users/me/` at moderate load twice in one run: quiet, then while console searches keep
 * the slow pool busy. The hot reads use the other pool, so their p99 should stay where it was;
 * what both share is the service's event loop and the machine's cores.
 */
export async function usersMeDuringSearch (
  settings: Settings,
  fx: Fixture,
  staff: { cookie: string, members: number }
): Promise<Measured[]> {
  const seconds = settings.quick ? 0.5 : settings.seconds
  const requests: Request[] = fx.accessTokens.map(token => ({
    method: 'GET',
    path: '/api/users/me/',
    headers: { authorization: `Bearer ${token}` }
  }))
  const me = (warmUp: boolean) =>
    runFor({ url: fx.base, connections: settings.mixedConnections, seconds, requests, warmUp })

  const search = async (): Promise<number> => {
    const started = performance.now()
    const response = await fetch(fx.base + SLOW_SEARCH, { headers: { cookie: staff.cookie } })
    await response.text()
    if (response.status !== 200) throw new Error(`console search answered ${response.status}`)
    return performance.now() - started
  }
  // A quick run's service is warm from the member reads of the rounds; a full run's may have cooled.
  const quiet = await me(!settings.quick)
  await search() // the slow pool's connections opened and the plan cached before the clock runs

  const latencies: number[] = []
  const load = { running: true }
  const searches = Promise.all(Array.from({ length: SEARCHERS }, async () => {
    while (load.running) latencies.push(await search())
  }))
  // A failed search is thrown below, once the member load is over; not as an unhandled rejection meanwhile.
  searches.catch(() => {})
  const started = performance.now()
  let during: Awaited<ReturnType<typeof me>>
  try {
    during = await me(false)
  } finally {
    load.running = false
    await searches
  }
  const searchStats = statsOf(latencies, Math.round(performance.now() - started) / 1000)
  const scanned = `${staff.members.toLocaleString('en-US')} members`
  return [
    {
      id: 'users-me-quiet',
      title: `GET /api/users/me/, ${settings.mixedConnections} conns, quiet`,
      stats: quiet,
      note: 'baseline for the search rows'
    },
    {
      id: 'users-me-during-search',
      title: `GET /api/users/me/, ${settings.mixedConnections} conns, console searches`,
      // Two loads at once: the CPU time is not the member reads' own.
      stats: { ...during, cpuMsPerRequest: null },
      note: `the same load while ${SEARCHERS} console searches at a time scan ${scanned} on the slow pool`
    },
    {
      id: 'console-search',
      title: 'console search beside it',
      stats: searchStats,
      note: `GET ${SLOW_SEARCH}, ${SEARCHERS} at a time, over ${scanned}`
    }
  ]
}
