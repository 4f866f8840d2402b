import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { SupportedMember } from '../../../application/members/member-support.js'
import { ValidationError } from '../../../domain/errors.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { CsrfForm, FORM_LIMITS, MemberParams } from './console-schemas.js'
import type { Frame } from './pages/layout.js'
import { MOBILE_FIELD_LIMIT, supportPage, type SupportError, type SupportNotice } from './pages/support-pages.js'

const csrf = Type.Optional(Type.String({ maxLength: FORM_LIMITS.csrf }))
const MobileForm = Type.Object({
  _csrf: csrf,
  mobile: Type.Optional(Type.String({ maxLength: MOBILE_FIELD_LIMIT })),
  reason: Type.Optional(Type.String({ maxLength: FORM_LIMITS.rejectionReason }))
})
const ADMIN_ONLY = { limit: { exempt: 'needs a signed-in admin session and its CSRF token' } }
const DONE = ['mobile', 'mobile-untold', 'signed-out'] as const
const NOTICES: Record<typeof DONE[number], SupportNotice> = {
  mobile: 'mobileChanged',
  'mobile-untold': 'mobileChangedUntold',
  'signed-out': 'signedOut'
}

/** The field problem of a refused number change, as the page names it. */
function supportError (error: ValidationError): SupportError | null {
  const [field, issues = []] = Object.entries(error.fields)[0] ?? []
  const issue = issues[0]
  if (field === 'reason') return 'reason'
  if (field !== 'mobile') return null
  switch (issue) {
    case 'invalid_phone':
    case 'not_mobile':
    case 'region_not_allowed':
    case 'mobile_taken':
      return issue
    case 'invalid':
      return 'same'
    default:
      return null
  }
}

/**
 * Member support, admins only: a member's signed-in devices, sign-out everywhere, and a number
 * changed after an ID check (member-support.ts). Each form posts back here and comes back to the
 * support page (303) with what happened; a refused change answers 400 with the form as typed.
 */
export const consoleSupportRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const support = useCases.memberSupport
  const adminOnly = staffOnly(useCases.staffSignIn.visit, 'admin')
  const page = (uuid: string) => `/console/members/${encodeURIComponent(uuid)}/support`
  const show = (
    reply: FastifyReply,
    status: number,
    frame: Frame,
    member: SupportedMember,
    message: Parameters<typeof supportPage>[2],
    typed?: { mobile: string, reason: string }
  ) =>
    sendPage(
      reply,
      status,
      supportPage(
        frame,
        {
          uuid: toShortUuid(member.id),
          title: member.username ?? member.email ?? toShortUuid(member.id),
          mobile: member.mobileDisplay,
          sessions: member.sessions,
          ...(typed === undefined ? {} : { typed })
        },
        message
      )
    )

  app.get(
    '/console/members/:uuid/support',
    {
      preHandler: adminOnly,
      schema: {
        hide: true,
        params: MemberParams,
        querystring: Type.Object({ done: Type.Optional(Type.Union(DONE.map(value => Type.Literal(value)))) })
      }
    },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      const { done } = request.query
      const member = await support.overview(request.params.uuid)
      return show(reply, 200, frame, member, done === undefined ? {} : { notice: NOTICES[done] })
    }
  )

  app.post(
    '/console/members/:uuid/mobile',
    { config: ADMIN_ONLY, preHandler: adminOnly, schema: { hide: true, params: MemberParams, body: MobileForm } },
    async (request, reply) => {
      const { frame, by } = consoleContext(request)
      const { uuid } = request.params
      const typed = { mobile: request.body.mobile ?? '', reason: request.body.reason ?? '' }
      try {
        const { oldNumberTold } = await support.changeMobile(by, uuid, typed)
        request.log.info({ event: 'console.member_mobile_changed', oldNumberTold }, 'member number changed by staff')
        return reply.redirect(`${page(uuid)}?done=${oldNumberTold ? 'mobile' : 'mobile-untold'}`, 303)
      } catch (error) {
        const problem = error instanceof ValidationError ? supportError(error) : null
        if (problem === null) throw error
        return show(reply, 400, frame, await support.overview(uuid), { error: problem }, typed)
      }
    }
  )

  app.post(
    '/console/members/:uuid/sign-out-everywhere',
    { config: ADMIN_ONLY, preHandler: adminOnly, schema: { hide: true, params: MemberParams, body: CsrfForm } },
    async (request, reply) => {
      const { by } = consoleContext(request)
      await support.signOutEverywhere(by, request.params.uuid)
      return reply.redirect(`${page(request.params.uuid)}?done=signed-out`, 303)
    }
  )
}
