import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { withExample } from '../schemas/examples.js'
import { PUBLIC } from '../schemas/openapi-document.js'
import { SERVICE_VERSION } from '../../system/service-version.js'

/**
 * Named checks of the shared stores; each resolves when its store answers and rejects when it
 * does not, within a bound of its own (buildService gives every check one).
 */
export type ReadinessChecks = Record<string, () => Promise<void>>

export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessChecks, isDraining: () => boolean }> = async (
  app,
  { checks, isDraining }
) => {
  const tags = ['operations']
  app.get(
    '/health',
    {
      schema: {
        tags,
        operationId: 'getHealth',
        summary: 'The process is alive, and which version it runs',
        security: PUBLIC,
        response: {
          200: withExample(
            Type.Object({
              status: Type.Literal('ok'),
              version: Type.String({ description: "This build's version (semantic; see CHANGELOG.md)" })
            }),
            { status: 'ok', version: '0.4.0' }
          )
        }
      }
    },
    async () => ({ status: 'ok' as const, version: SERVICE_VERSION })
  )

  const Ready = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) })
  app.get(
    '/ready',
    {
      schema: {
        tags,
        operationId: 'getReadiness',
        summary: 'The database and Redis answer and the instance is not draining',
        security: PUBLIC,
        response: {
          200: withExample(Ready, { status: 'ready', checks: { database: 'ok', redis: 'ok' } }),
          503: {
            ...withExample(Ready, { status: 'unavailable', checks: { database: 'ok', redis: 'down' } }),
            'x-response-description':
              'Service Unavailable: a store did not answer in time (`unavailable`), ' +
                'or the instance is shutting down (`draining`)'
          }
        }
      }
    },
    async (_request, reply) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await settle(check)] as const)
      )
      const draining = isDraining()
      const ok = !draining && results.every(([, result]) => result === 'ok')
      reply.code(ok ? 200 : 503)
      return { status: draining ? 'draining' : ok ? 'ready' : 'unavailable', checks: Object.fromEntries(results) }
    }
  )
}

async function settle (check: () => Promise<void>): Promise<'ok' | 'down'> {
  return check().then(() => 'ok' as const, () => 'down' as const)
}
