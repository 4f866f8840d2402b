import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AuditFilter } from '../../../application/ports/audit-log.js'
import { ValidationError } from '../../../domain/errors.js'
import { fromShortUuid } from '../../../domain/short-uuid.js'
import { catalogsPage, staffPage, type CatalogKindPath } from './admin-pages.js'
import { auditPage } from './audit-pages.js'
import { guarded, sendPage } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'

const AUDIT_PAGE = 50
const StaffId = Type.Object({ id: Type.String({ maxLength: 64 }) })
const CsrfForm = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) })
const CatalogForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  name: Type.String({ maxLength: 200 }),
  emoji: Type.String({ maxLength: 64 }),
  image: Type.Optional(Type.String({ maxLength: 300 }))
})
const Kind = Type.Union([Type.Literal('interests'), Type.Literal('professions')])
const KIND = { interests: 'interest', professions: 'profession' } as const
const STAFF_ONLY = { limit: { exempt: 'needs a signed-in admin session and its CSRF token' } }

/** Admins only: staff accounts, the catalogs and the audit trail. */
export const consoleAdminRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const visitOf = useCases.staffSignIn.visit
  const { staffAdmin, manageCatalog } = useCases

  app.get('/console/staff', { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.Literal('1')) }) } },
    guarded(visitOf, 'admin', async ({ frame, visit }, request, reply) =>
      sendPage(reply, 200, staffPage(frame, { staff: await staffAdmin.list(), selfId: visit.staff.id }, (request.query as { done?: string }).done === '1' ? frame.t.done : null))))

  const staffAction = (verb: string, act: (by: Parameters<typeof staffAdmin.setDisabled>[0], id: string) => Promise<void>) =>
    app.post(`/console/staff/:id/${verb}`, { config: STAFF_ONLY, schema: { hide: true, params: StaffId, body: CsrfForm } }, guarded(visitOf, 'admin', async ({ by, frame, visit }, request, reply) => {
      try {
        await act(by, (request.params as { id: string }).id)
      } catch (error) {
        if ((error as { code?: string }).code !== 'invalid_input') throw error
        return sendPage(reply, 400, staffPage(frame, { staff: await staffAdmin.list(), selfId: visit.staff.id }, null, frame.t.errors.self))
      }
      return reply.redirect('/console/staff?done=1', 303)
    }))
  staffAction('disable', (by, id) => staffAdmin.setDisabled(by, id, true))
  staffAction('enable', (by, id) => staffAdmin.setDisabled(by, id, false))
  staffAction('reset-second-factor', (by, id) => staffAdmin.resetSecondFactor(by, id))

  const catalogs = async () => ({ interests: await manageCatalog.list('interest'), professions: await manageCatalog.list('profession') })
  app.get('/console/catalogs', { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.Literal('1')) }) } },
    guarded(visitOf, 'admin', async ({ frame }, request, reply) =>
      sendPage(reply, 200, catalogsPage(frame, await catalogs(), (request.query as { done?: string }).done === '1' ? frame.t.done : null))))

  const saveCatalog = (path: string, params: ReturnType<typeof Type.Object>) =>
    app.post(path, { config: STAFF_ONLY, schema: { hide: true, params, body: CatalogForm } }, guarded(visitOf, 'admin', async ({ by, frame }, request, reply) => {
      const { kind, uuid } = request.params as { kind: CatalogKindPath, uuid?: string }
      const body = request.body as { name: string, emoji: string, image?: string }
      const item = { name: body.name, emoji: body.emoji, imageKey: kind === 'interests' && body.image?.trim() ? body.image.trim() : null }
      try {
        if (uuid === undefined) await manageCatalog.add(by, KIND[kind], item)
        else await manageCatalog.change(by, KIND[kind], uuid, item)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const message = error.fields.image !== undefined
          ? frame.t.errors.image_key
          : error.fields.name?.includes('name_taken') === true ? frame.t.errors.name_taken : frame.t.errors.invalid
        return sendPage(reply, 400, catalogsPage(frame, await catalogs(), null, message))
      }
      return reply.redirect('/console/catalogs?done=1', 303)
    }))
  saveCatalog('/console/catalogs/:kind', Type.Object({ kind: Kind }))
  saveCatalog('/console/catalogs/:kind/:uuid', Type.Object({ kind: Kind, uuid: Type.String({ maxLength: 64 }) }))

  app.get('/console/audit', {
    schema: {
      hide: true,
      querystring: Type.Object({
        member: Type.Optional(Type.String({ maxLength: 64 })),
        staff: Type.Optional(Type.String({ pattern: '^([0-9a-f-]{36})?$' })),
        before: Type.Optional(Type.String({ maxLength: 100, pattern: '^[0-9]{1,15}~[0-9a-f-]{36}$' }))
      })
    }
  }, guarded(visitOf, 'admin', async ({ frame }, request, reply) => {
    const query = request.query as { member?: string, staff?: string, before?: string }
    const member = query.member?.trim() ?? ''
    const staffId = query.staff ?? ''
    const filter: AuditFilter = { limit: AUDIT_PAGE }
    if (member !== '') filter.memberId = fromShortUuid(member) ?? (/^[0-9a-f-]{36}$/.test(member) ? member : '00000000-0000-0000-0000-000000000000')
    if (staffId !== '') filter.staffId = staffId
    if (query.before !== undefined) {
      const [at, id] = query.before.split('~') as [string, string]
      filter.before = { at: new Date(Number(at)), id }
    }
    const [entries, staff] = await Promise.all([useCases.auditTrail(filter), staffAdmin.list()])
    const last = entries.at(-1)
    const older = entries.length < AUDIT_PAGE || last === undefined
      ? null
      : new URLSearchParams({ ...(member === '' ? {} : { member }), ...(staffId === '' ? {} : { staff: staffId }), before: `${last.at.getTime()}~${last.id}` }).toString()
    return sendPage(reply, 200, auditPage(frame, { member, staffId, staffOptions: staff.map(({ id, email }) => ({ id, email })), entries, older }))
  }))
}
