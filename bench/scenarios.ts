import type { Request } from 'autocannon'
import { Drain, json, runAmount, runFor, statsOf, type Stats } from './load.js'
import { TEST_CODE, issueCodes } from './prepare.js'
import { firstJsonLine, startNode } from './processes.js'

export interface Settings {
  quick: boolean
  /** Length of each timed load, and the target of summed drains. */
  seconds: number
  connections: number
  /** `/auth/me` connections in the mixed scenario (moderate load beside the storm). */
  mixedConnections: number
  /** Most drains of the code pool per one-shot scenario. */
  maxRounds: number
}

export interface Fixture {
  base: string
  email: { email: string, password: string, token: string }
  /** Approved members with fixed codes; each can be asked for a code once per second. */
  numbers: string[]
  /** One unspent refresh token per connection of the refresh scenario. */
  refreshTokens: string[]
  /** Live phone-door access tokens of as many members (approved, two interests and a profession). */
  accessTokens: string[]
}

export interface Measured { id: string, title: string, stats: Stats, note: string }

export async function authMe (settings: Settings, fx: Fixture): Promise<Measured> {
  const stats = await runFor({
    url: `${fx.base}/auth/me`,
    headers: { authorization: `Bearer ${fx.email.token}` },
    connections: settings.connections,
    seconds: settings.seconds
  })
  return {
    id: 'auth-me',
    title: 'GET /auth/me, HS256',
    stats,
    note: 'verify an email-door access token; its revocation (Redis) and the account row (PostgreSQL) read in parallel'
  }
}

/**
 * The same measurement on the service that signs with an Ed25519 key (JWT_KEYS): its own id and
 * title, so the report shows each algorithm's figures side by side.
 */
export function asEdDsa (measured: Measured): Measured {
  return {
    ...measured,
    id: `${measured.id}-eddsa`,
    title: `${measured.title.replace(/, HS256$/, '')}, EdDSA`,
    note: `${measured.note}; tokens signed and verified with Ed25519`
  }
}

/**
 * Seed 1's member read, with the access tokens of several members in turn (autocannon cycles each
 * connection through the list), so the figures are not one hot row's.
 */
export async function usersMe (settings: Settings, fx: Fixture): Promise<Measured> {
  const requests: Request[] = fx.accessTokens.map(token => ({
    method: 'GET',
    path: '/api/users/me/',
    headers: { authorization: `Bearer ${token}` }
  }))
  const stats = await runFor({ url: fx.base, connections: settings.connections, seconds: settings.seconds, requests })
  return {
    id: 'users-me',
    title: 'GET /api/users/me/',
    stats,
    note: `the phone door's member (profile, two interests, profession), ${fx.accessTokens.length} members in turn`
  }
}

/**
 * Every request spends one refresh token and the answer's token is spent by a later request, so no
 * token is ever presented twice (a reused token would revoke its whole family). autocannon clears
 * a connection's context each time it loops over its request list, so the chain lives in one pool
 * of exactly one token per connection: a response puts its successor back before the connection
 * takes the next one, which is the same as each connection carrying its own chain.
 */
export async function refreshRotation (settings: Settings, fx: Fixture): Promise<Measured> {
  const pool = [...fx.refreshTokens]
  const request: Request = {
    method: 'POST',
    path: '/api/token/refresh/',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ refresh: pool.shift() ?? 'pool-exhausted' }) }),
    onResponse: (status, body) => { if (status === 200) pool.push((JSON.parse(body) as { refresh: string }).refresh) }
  }
  // No warm-up run: requests cut off at its end would take tokens out of the chains. The process
  // is warm from the scenario before.
  const stats = await runFor({
    url: fx.base,
    connections: fx.refreshTokens.length,
    seconds: settings.seconds,
    requests: [request],
    warmUp: false
  })
  return {
    id: 'refresh',
    title: 'POST /api/token/refresh/ (rotating), HS256',
    stats,
    note: 'each request spends the token the previous answer gave: verify, revocation and cached standing (Redis, no ' +
      'database), record the rotation atomically, sign a new pair'
  }
}

/**
 * A code is spent by the first right answer and a number may get a new one once per second, so
 * each round asks for codes for the whole pool (not timed), then verifies every number once
 * (timed). Measures `POST /api/token/` alone: user read, atomic code check, token pair, profile.
 */
export async function phoneLogin (settings: Settings, fx: Fixture): Promise<Measured> {
  const timed = new Drain()
  for (let round = 0; round < settings.maxRounds && timed.stats().seconds < settings.seconds; round++) {
    const issued = await issueCodes(fx.base, fx.numbers)
    if (issued.stats().errors > 0) throw new Error(`code requests before phone login failed: ${issued.stats().errors}`)
    await timed.run(fx.base, fx.numbers, mobile => json('POST', '/api/token/', { mobile, token: TEST_CODE }), {
      connections: settings.connections
    })
  }
  return {
    id: 'phone-login',
    title: 'POST /api/token/ (code -> tokens)',
    stats: timed.stats(),
    note: `${fx.numbers.length} members, each code verified once; codes asked for between rounds, untimed`
  }
}

/**
 * A quick run gives argon2 routes 2 s and no warm-up: a warm-up's last logins stay queued on the
 * libuv pool after it ends, and on a busy machine (tests running beside it) the measured window
 * then ended before its first login did, with nothing to count.
 */
const argonWindow = (settings: Settings): Settings =>
  settings.quick ? { ...settings, seconds: Math.max(settings.seconds, 2) } : settings

export async function passwordLogin (
  settings: Settings,
  fx: Fixture,
  connections = settings.connections
): Promise<Stats> {
  return await runFor({
    url: fx.base,
    connections,
    warmUp: !settings.quick,
    seconds: settings.seconds,
    requests: [json('POST', '/auth/login/json', { email: fx.email.email, password: fx.email.password })]
  })
}

export async function emailLogin (settings: Settings, fx: Fixture): Promise<Measured> {
  return {
    id: 'email-login',
    title: 'POST /auth/login/json (argon2)',
    stats: await passwordLogin(argonWindow(settings), fx),
    note: 'one argon2id verify on the libuv pool per request'
  }
}

/**
 * Logins measured the way the peer benches measure them (PERF-NOTES.md, "Beside the peers"): a
 * fixed batch, 250 at 50 connections (50 at 10 in a quick run), after a warm-up of one login a
 * connection, the load generator on the same cores. Its rate against argon2 alone is read beside
 * the steady-state `email-login`'s: the two ways disagreed (71% against 95%).
 */
export async function emailLoginPeer (settings: Settings, fx: Fixture): Promise<Measured> {
  const [amount, connections] = settings.quick ? [50, 10] : [250, 50]
  const stats = await runAmount({
    url: fx.base,
    connections,
    amount,
    warmUp: connections,
    requests: [json('POST', '/auth/login/json', { email: fx.email.email, password: fx.email.password })]
  })
  return {
    id: 'email-login-peer',
    title: `POST /auth/login/json, ${amount} at ${connections} conns`,
    stats,
    note: `exactly ${amount} logins after ${connections} unmeasured; the clock runs from the first to the last answer`
  }
}

/** Code requests for members' test numbers: each number once per round, rounds 1.1 s apart (the resend cooldown). */
export async function codeRequest (settings: Settings, fx: Fixture): Promise<Measured> {
  const timed = new Drain()
  for (let round = 0; round < settings.maxRounds && timed.stats().seconds < settings.seconds; round++) {
    await issueCodes(fx.base, fx.numbers, timed)
  }
  return {
    id: 'code-request',
    title: 'POST /api/auth/mobile/ (test numbers)',
    stats: timed.stats(),
    note: 'user read, cooldown + code write in one Redis script; test numbers send no SMS'
  }
}

/** `/auth/me` at moderate load, alone and then beside a login storm at full connections. */
export async function mixed (settings: Settings, fx: Fixture): Promise<Measured[]> {
  const me = () =>
    runFor({
      url: `${fx.base}/auth/me`,
      headers: { authorization: `Bearer ${fx.email.token}` },
      connections: settings.mixedConnections,
      seconds: settings.seconds
    })
  const quiet = await me()
  const [during, storm] = await Promise.all([me(), passwordLogin(argonWindow(settings), fx)])
  // Two loads at once: the CPU time of either is not its own.
  return [
    {
      id: 'mixed-me-quiet',
      title: `GET /auth/me, ${settings.mixedConnections} conns, quiet`,
      stats: quiet,
      note: 'baseline for the storm rows'
    },
    {
      id: 'mixed-me-storm',
      title: `GET /auth/me, ${settings.mixedConnections} conns, login storm`,
      stats: { ...during, cpuMsPerRequest: null },
      note: 'the same load while the storm below runs'
    },
    {
      id: 'mixed-login-storm',
      title: 'login storm beside it',
      stats: { ...storm, cpuMsPerRequest: null },
      note: `POST /auth/login/json at ${settings.connections} connections`
    }
  ]
}

/** The ceiling: a bare Fastify JSON route in its own child process, same load settings. */
export async function bareRoute (settings: Settings): Promise<Measured> {
  const child = startNode('bench/bare-server.ts', [], {})
  try {
    const { port } = await firstJsonLine<{ port: number }>(child)
    const stats = await runFor({
      url: `http://127.0.0.1:${port}/`,
      connections: settings.connections,
      seconds: settings.seconds
    })
    return {
      id: 'bare',
      title: 'bare Fastify GET (ceiling)',
      stats: { ...stats, cpuMsPerRequest: null },
      note: 'one route returning {ok:true}, no plugins'
    }
  } finally {
    await child.stop()
  }
}

/**
 * argon2id verifies per second with the service's parameters and its libuv pool (the image's
 * UV_THREADPOOL_SIZE, libuv's 4 without it), one verify per thread at a time.
 */
export async function argon2Rate (
  settings: Settings,
  params: { memoryKiB: number, iterations: number, parallelism: number },
  threads: number
): Promise<Measured> {
  const concurrency = threads
  const child = startNode(
    'bench/argon2-rate.ts',
    [settings.seconds, params.memoryKiB, params.iterations, params.parallelism, concurrency].map(String),
    { UV_THREADPOOL_SIZE: String(threads) }
  )
  try {
    const { latencies, seconds } = await firstJsonLine<{ latencies: number[], seconds: number }>(child)
    return {
      id: 'argon2',
      title: 'argon2id verify alone',
      stats: statsOf(latencies, seconds),
      note: `m=${params.memoryKiB} KiB, t=${params.iterations}, p=${params.parallelism}, ${concurrency} at a time on ` +
        `${threads} libuv threads, no HTTP`
    }
  } finally {
    await child.stop()
  }
}
