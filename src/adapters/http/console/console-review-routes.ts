import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IdentityKeys } from '../../../application/identity/staff-identity.js'
import { NotFoundError } from '../../../domain/errors.js'
import { fromShortUuid, toShortUuid } from '../../../domain/short-uuid.js'
import { mediaUrl } from '../routes/member-json.js'
import { literals } from '../schemas/literals.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import { decidingFor, decisionNotice, DECISIONS_DONE, type DecisionDone } from './console-deciding.js'
import { identityFor } from './console-identity.js'
import { signInsFor } from './console-sign-ins.js'
import type { ConsoleOptions } from './console-routes.js'
import { CsrfForm, MemberParams } from './console-schemas.js'
import { consoleQueueRoutes } from './console-queue-routes.js'
import { IDENTITY_TEXTS } from './pages/identity-texts.js'
import { memberPage } from './pages/review-pages.js'
import { verificationFileSrc } from './pages/file-viewer.js'

const STAFF_ONLY = { limit: { exempt: 'needs a signed-in staff session and its CSRF token' } }

/** The queue and a member's page: every staff member (reviewers and admins); decisions: console-decision-routes.ts. */
export const consoleReviewRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, options) => {
  const { useCases, mediaBaseUrl } = options
  const review = useCases.memberReview
  const visitOf = useCases.staffSignIn.visit
  const anyStaff = staffOnly(visitOf, 'any')

  // The queue and its bulk approval live in their own file: they grew apart from the member page.
  await app.register(consoleQueueRoutes, options)

  /** The member page, as read now; with `revealed`, the keys the audited reveal returned in place of the masks. */
  async function sendMember (
    request: FastifyRequest,
    reply: FastifyReply,
    uuid: string,
    { done, revealed = null }: { done?: DecisionDone, revealed?: IdentityKeys | null }
  ): Promise<FastifyReply> {
    const { frame, by, visit } = consoleContext(request)
    const { view, duplicates, history, mobileDisplay } = await review.member(by, uuid)
    const { user } = view
    const profile = user.profile
    const notice = revealed === null ? decisionNotice(frame, done) : IDENTITY_TEXTS[frame.language].revealed
    return sendPage(
      reply,
      200,
      memberPage(
        frame,
        {
          uuid: toShortUuid(user.id),
          status: user.status,
          email: user.email,
          mobile: mobileDisplay,
          createdAt: user.createdAt,
          decidedAt: user.decidedAt,
          rejectionReason: user.rejectionReason,
          profile:
            profile === null
              ? null
              : {
                  username: profile.username,
                  name: profile.name,
                  birth: profile.birth,
                  age: view.age,
                  gender: profile.gender,
                  carrier: profile.carrier,
                  foreigner: profile.foreigner,
                  interests: view.interests.map(item => `${item.emoji} ${item.name}`),
                  profession: view.profession === null ? null : `${view.profession.emoji} ${view.profession.name}`,
                  avatarUrl: mediaUrl(mediaBaseUrl, profile.avatarKey),
                  profileUrl: mediaUrl(mediaBaseUrl, profile.profileKey)
                },
          // The console's own route, not the signed link: an image on the page works while the session lives.
          files: view.fileLinks.map(file => ({
            displayOrder: file.displayOrder,
            url: verificationFileSrc(toShortUuid(user.id), file.displayOrder)
          })),
          duplicates: duplicates.map(other => ({
            uuid: toShortUuid(other.id),
            username: other.username,
            status: other.status,
            confirmed: other.confirmed
          })),
          identity: await identityFor(useCases.staffIdentity, user, mobileDisplay, revealed),
          signIns: await signInsFor(useCases.memberSignIns, user),
          history,
          deciding: await decidingFor(useCases, { visit, by, frame }, user, view.fileLinks.length, done)
        },
        notice
      )
    )
  }

  app.get(
    '/console/members/:uuid',
    {
      preHandler: anyStaff,
      schema: {
        hide: true,
        params: MemberParams,
        querystring: Type.Object({
          done: Type.Optional(Type.Union(literals(DECISIONS_DONE)))
        })
      }
    },
    async (request, reply) => sendMember(request, reply, request.params.uuid, { done: request.query.done })
  )

  // The keys in full are the answer to a post, never a page's address: a link or the history
  // cannot show them again without a new, recorded reveal.
  app.post(
    '/console/members/:uuid/identity/reveal',
    {
      config: STAFF_ONLY,
      preHandler: anyStaff,
      schema: { hide: true, params: MemberParams, body: CsrfForm }
    },
    async (request, reply) => {
      const { by } = consoleContext(request)
      const { uuid } = request.params
      const id = fromShortUuid(uuid)
      if (id === null) throw new NotFoundError()
      // The trail could not take the entry: nothing is revealed, and the page says try again (503).
      const revealed = await useCases.staffIdentity.reveal(by, id)
      return sendMember(request, reply, uuid, { revealed })
    }
  )
}
