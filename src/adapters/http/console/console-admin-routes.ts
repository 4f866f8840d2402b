import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { ActingStaff } from '../../../application/staff/staff-admin.js'
import { ValidationError } from '../../../domain/errors.js'
import type { PasswordReset } from '../../../application/staff/staff-passwords.js'
import { ERRORS } from '../errors/error-table.js'
import { catalogsPage, oneTimePasswordPage, staffPage, type CatalogKindPath } from './pages/admin-pages.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { CatalogForm, CsrfForm, FORM_LIMITS } from './console-schemas.js'
import type { Frame } from './pages/layout.js'

const StaffId = Type.Object({ id: Type.String({ maxLength: FORM_LIMITS.id }) })
const Kind = Type.Union([Type.Literal('interests'), Type.Literal('professions')])
const KIND = { interests: 'interest', professions: 'profession' } as const
const STAFF_ONLY = { limit: { exempt: 'needs a signed-in admin session and its CSRF token' } }
const Done = Type.Object({ done: Type.Optional(Type.Literal('1')) })

/** Admins only: staff accounts and the catalogs (the audit trail: console-audit-routes.ts). */
export const consoleAdminRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const { staffAdmin, manageCatalog } = useCases
  const adminOnly = staffOnly(useCases.staffSignIn.visit, 'admin')

  app.get(
    '/console/staff',
    { preHandler: adminOnly, schema: { hide: true, querystring: Done } },
    async (request, reply) => {
      const { frame, visit } = consoleContext(request)
      return sendPage(
        reply,
        200,
        staffPage(
          frame,
          { staff: await staffAdmin.list(), selfId: visit.staff.id },
          request.query.done === '1' ? frame.t.done : null
        )
      )
    }
  )

  const staffAction = (verb: string, act: (by: ActingStaff, id: string) => Promise<void>) =>
    app.post(
      `/console/staff/:id/${verb}`,
      { config: STAFF_ONLY, preHandler: adminOnly, schema: { hide: true, params: StaffId, body: CsrfForm } },
      async (request, reply) => {
        const { by, frame, visit } = consoleContext(request)
        try {
          await act(by, request.params.id)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          return sendPage(
            reply,
            400,
            staffPage(frame, { staff: await staffAdmin.list(), selfId: visit.staff.id }, null, frame.t.errors.self)
          )
        }
        return reply.redirect('/console/staff?done=1', 303)
      }
    )
  staffAction('disable', (by, id) => staffAdmin.setDisabled(by, id, true))
  staffAction('enable', (by, id) => staffAdmin.setDisabled(by, id, false))
  staffAction('reset-second-factor', (by, id) => staffAdmin.resetSecondFactor(by, id))

  // Not a redirect: the one-time password is shown in this answer alone, never in a URL or a later page.
  app.post(
    '/console/staff/:id/reset-password',
    { config: STAFF_ONLY, preHandler: adminOnly, schema: { hide: true, params: StaffId, body: CsrfForm } },
    async (request, reply) => {
      const { by, frame, visit } = consoleContext(request)
      let reset: PasswordReset
      try {
        reset = await useCases.staffPasswords.reset(by, request.params.id)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return sendPage(
          reply,
          ERRORS[error.code].status,
          staffPage(frame, { staff: await staffAdmin.list(), selfId: visit.staff.id }, null, frame.t.errors.self)
        )
      }
      return sendPage(reply, 200, oneTimePasswordPage(frame, reset))
    }
  )

  const catalogs = async () => ({
    interests: await manageCatalog.list('interest'),
    professions: await manageCatalog.list('profession')
  })
  app.get(
    '/console/catalogs',
    { preHandler: adminOnly, schema: { hide: true, querystring: Done } },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      return sendPage(
        reply,
        200,
        catalogsPage(frame, await catalogs(), request.query.done === '1' ? frame.t.done : null)
      )
    }
  )

  /** Adds (no uuid) or changes an item; a refused field shows the catalogs again with why. */
  const saveCatalog = async (
    reply: FastifyReply,
    { by, frame }: { by: ActingStaff, frame: Frame },
    kind: CatalogKindPath,
    uuid: string | null,
    body: { name: string, emoji: string, image?: string }
  ) => {
    const item = {
      name: body.name,
      emoji: body.emoji,
      imageKey: kind === 'interests' && body.image?.trim() ? body.image.trim() : null
    }
    try {
      if (uuid === null) await manageCatalog.add(by, KIND[kind], item)
      else await manageCatalog.change(by, KIND[kind], uuid, item)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      const message =
        error.fields.image !== undefined
          ? frame.t.errors.image_key
          : error.fields.name?.includes('name_taken') === true
            ? frame.t.errors.name_taken
            : frame.t.errors.invalid
      return sendPage(reply, 400, catalogsPage(frame, await catalogs(), null, message))
    }
    return reply.redirect('/console/catalogs?done=1', 303)
  }
  app.post(
    '/console/catalogs/:kind',
    {
      config: STAFF_ONLY,
      preHandler: adminOnly,
      schema: { hide: true, params: Type.Object({ kind: Kind }), body: CatalogForm }
    },
    async (request, reply) => saveCatalog(reply, consoleContext(request), request.params.kind, null, request.body)
  )
  app.post(
    '/console/catalogs/:kind/:uuid',
    {
      config: STAFF_ONLY,
      preHandler: adminOnly,
      schema: {
        hide: true,
        params: Type.Object({ kind: Kind, uuid: Type.String({ maxLength: FORM_LIMITS.id }) }),
        body: CatalogForm
      }
    },
    async (request, reply) =>
      saveCatalog(reply, consoleContext(request), request.params.kind, request.params.uuid, request.body)
  )
}
