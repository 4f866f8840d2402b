import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** Named checks of the shared stores; each resolves when its store answers. */
export type ReadinessChecks = Record<string, () => Promise<void>>

const READY_TIMEOUT_MS = 2000

export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessChecks, isDraining: () => boolean }> = async (app, { checks, isDraining }) => {
  const tags = ['operations']
  app.get('/health', {
    schema: { tags, summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } }
  }, async () => ({ status: 'ok' as const }))

  const Ready = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) })
  app.get('/ready', {
    schema: { tags, summary: 'The database and Redis answer and the instance is not draining', response: { 200: Ready, 503: Ready } }
  }, async (_request, reply) => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await settle(check)] as const))
    const draining = isDraining()
    const ok = !draining && results.every(([, result]) => result === 'ok')
    reply.code(ok ? 200 : 503)
    return { status: draining ? 'draining' : ok ? 'ready' : 'unavailable', checks: Object.fromEntries(results) }
  })
}

async function settle (check: () => Promise<void>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'down'>((resolve) => { timer = setTimeout(() => resolve('down'), READY_TIMEOUT_MS) })
  try {
    return await Promise.race([check().then(() => 'ok' as const, () => 'down' as const), timeout])
  } finally {
    clearTimeout(timer)
  }
}
