import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { NotFoundError, ValidationError } from '../../../domain/errors.js'
import { fromShortUuid } from '../../../domain/short-uuid.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { CsrfForm, FORM_LIMITS } from './console-schemas.js'
import type { Frame } from './pages/layout.js'
import { reasonsPage } from './pages/reason-pages.js'

const Id = Type.Object({ id: Type.String({ maxLength: FORM_LIMITS.id }) })
const ReasonForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: FORM_LIMITS.csrf })),
  ko: Type.String({ maxLength: FORM_LIMITS.presetReason }),
  en: Type.String({ maxLength: FORM_LIMITS.presetReason })
})
const Done = Type.Object({ done: Type.Optional(Type.Literal('1')) })
const STAFF_ONLY = { limit: { exempt: 'needs a signed-in admin session and its CSRF token' } }

/** Admins only: the preset rejection reasons (Korean and English) the reject form offers. */
export const consoleReasonRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const reasons = useCases.rejectionReasons
  const adminOnly = staffOnly(useCases.staffSignIn.visit, 'admin')
  const idOf = (ref: string): string => {
    const id = fromShortUuid(ref)
    if (id === null) throw new NotFoundError()
    return id
  }

  app.get(
    '/console/reasons',
    { preHandler: adminOnly, schema: { hide: true, querystring: Done } },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      const notice = request.query.done === '1' ? frame.t.done : null
      return sendPage(reply, 200, reasonsPage(frame, await reasons.all(), notice))
    }
  )

  /** A form's texts refused (blank, too long): the page again with the error, nothing changed. */
  async function saved (reply: FastifyReply, frame: Frame, act: () => Promise<unknown>): Promise<FastifyReply> {
    try {
      await act()
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return sendPage(reply, 400, reasonsPage(frame, await reasons.all(), null, frame.t.errors.invalid))
    }
    return reply.redirect('/console/reasons?done=1', 303)
  }

  app.post(
    '/console/reasons',
    { config: STAFF_ONLY, preHandler: adminOnly, schema: { hide: true, body: ReasonForm } },
    async (request, reply) => {
      const { by, frame } = consoleContext(request)
      return saved(reply, frame, () => reasons.add(by, request.body))
    }
  )
  app.post(
    '/console/reasons/:id',
    { config: STAFF_ONLY, preHandler: adminOnly, schema: { hide: true, params: Id, body: ReasonForm } },
    async (request, reply) => {
      const { by, frame } = consoleContext(request)
      return saved(reply, frame, () => reasons.change(by, idOf(request.params.id), request.body))
    }
  )
  for (const verb of ['retire', 'restore'] as const) {
    app.post(
      `/console/reasons/:id/${verb}`,
      { config: STAFF_ONLY, preHandler: adminOnly, schema: { hide: true, params: Id, body: CsrfForm } },
      async (request, reply) => {
        const { by } = consoleContext(request)
        await reasons.retire(by, idOf(request.params.id), verb === 'retire')
        return reply.redirect('/console/reasons?done=1', 303)
      }
    )
  }
}
