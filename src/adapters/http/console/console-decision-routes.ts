import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { StaleDecisionError, ValidationError } from '../../../domain/errors.js'
import { fromShortUuid } from '../../../domain/short-uuid.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { DecisionForm, MemberParams, NoteForm, RejectForm } from './console-schemas.js'
import type { Frame } from './pages/layout.js'
import { staleDecisionPage } from './pages/decision-pages.js'
import { DECISION_TEXTS } from './pages/decision-texts.js'
import { messagePage } from './pages/sign-in-pages.js'

const STAFF_ONLY = { limit: { exempt: 'needs a signed-in staff session and its CSRF token' } }

/**
 * The decisions on a member's page: approve, reject (with a reason), approve again, undo, delete the
 * verification files. Each form carries the member's version; a decision on a member who changed
 * since is refused with 409 and a page naming the decision that came first. The decisions go through
 * the member review use-case, which writes the trail.
 */
export const consoleDecisionRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const review = useCases.memberReview
  const visitOf = useCases.staffSignIn.visit
  const member = (uuid: string, done: string) => `/console/members/${encodeURIComponent(uuid)}?done=${done}`

  /** A decision refused before it was tried: 400 with a page leading back to the member. */
  const refused = (reply: FastifyReply, frame: Frame, uuid: string, title: string, text: string): FastifyReply =>
    sendPage(reply, 400, messagePage(frame, title, text, {
      href: `/console/members/${encodeURIComponent(uuid)}`,
      label: frame.t.members
    }))

  /** Runs a decision; a stale one answers 409 with what happened instead (nothing was changed). */
  async function deciding (
    reply: FastifyReply,
    frame: Frame,
    uuid: string,
    decide: () => Promise<string>
  ): Promise<FastifyReply> {
    try {
      return reply.redirect(await decide(), 303)
    } catch (error) {
      if (!(error instanceof StaleDecisionError)) throw error
      const last = await review.lastDecision(uuid)
      return sendPage(reply, 409, staleDecisionPage(frame, { uuid, last }))
    }
  }

  const route = (
    verb: 'approve' | 'reapprove' | 'purge-files',
    role: 'any' | 'admin',
    decide: (by: ReturnType<typeof consoleContext>['by'], uuid: string, version?: string) => Promise<string>
  ) =>
    app.post(
      `/console/members/:uuid/${verb}`,
      {
        config: STAFF_ONLY,
        preHandler: staffOnly(visitOf, role),
        schema: { hide: true, params: MemberParams, body: DecisionForm }
      },
      async (request, reply) => {
        const { by, frame } = consoleContext(request)
        const { uuid } = request.params
        return deciding(reply, frame, uuid, async () => decide(by, uuid, request.body.version))
      }
    )

  route('approve', 'any', async (by, uuid, version) => {
    await review.approve(by, uuid, version)
    return member(uuid, 'approved')
  })
  // Approving a rejected member again is its own action (member.reapproved), never a side effect of
  // approve: the page offers it only for a rejected member, apart from what cannot be undone.
  route('reapprove', 'any', async (by, uuid, version) => {
    if (version === undefined) throw ValidationError.of('version', 'required')
    await review.reapprove(by, uuid, version)
    return member(uuid, 'reapproved')
  })
  route('purge-files', 'admin', async (by, uuid) => {
    await review.purgeFiles(by, uuid)
    return member(uuid, 'purged')
  })

  app.post(
    '/console/members/:uuid/undo',
    {
      config: STAFF_ONLY,
      preHandler: staffOnly(visitOf, 'any'),
      schema: { hide: true, params: MemberParams, body: DecisionForm }
    },
    async (request, reply) => {
      const { by, frame, visit } = consoleContext(request)
      const { uuid } = request.params
      const { version } = request.body
      const anyone = visit.staff.role === 'admin'
      if (version === undefined || (await review.undoMinutes(by, uuid, anyone)) === null) {
        const d = DECISION_TEXTS[frame.language]
        return refused(reply, frame, uuid, d.undo, d.undoExpired)
      }
      return deciding(reply, frame, uuid, async () => {
        await review.undo(by, uuid, version, anyone)
        return member(uuid, 'undone')
      })
    }
  )

  // The internal note is no decision (no version): the latest save wins, and the trail keeps each.
  app.post(
    '/console/members/:uuid/note',
    {
      config: STAFF_ONLY,
      preHandler: staffOnly(visitOf, 'any'),
      schema: { hide: true, params: MemberParams, body: NoteForm }
    },
    async (request, reply) => {
      const { by } = consoleContext(request)
      const { uuid } = request.params
      await useCases.memberNotes.write(by, uuid, request.body.note ?? '')
      return reply.redirect(member(uuid, 'noted'), 303)
    }
  )

  app.post(
    '/console/members/:uuid/reject',
    {
      config: STAFF_ONLY,
      preHandler: staffOnly(visitOf, 'any'),
      schema: { hide: true, params: MemberParams, body: RejectForm }
    },
    async (request, reply) => {
      const { by, frame } = consoleContext(request)
      const { uuid } = request.params
      const text = request.body.reason ?? ''
      const preset = request.body.preset === undefined || request.body.preset === '' ? null : request.body.preset
      if (preset === null && text.trim() === '') {
        return refused(reply, frame, uuid, frame.t.reject, frame.t.errors.reason_required)
      }
      // A preset's text in the member's language, then the free text: the member's one reason.
      const presetId = preset === null ? null : fromShortUuid(preset)
      if (preset !== null && presetId === null) throw ValidationError.of('preset', 'invalid_choice')
      const reason = await useCases.rejectionReasons.compose(uuid, { preset: presetId, text })
      return deciding(reply, frame, uuid, async () => {
        await review.reject(by, uuid, reason, request.body.version)
        return member(uuid, 'rejected')
      })
    }
  )
}
