import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError } from '../../../domain/errors.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import { mediaUrl } from '../routes/member-json.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { FORM_LIMITS } from './console-schemas.js'
import { fileViewerScriptRoutes } from './pages/file-viewer-script.js'
import { memberFiles, viewerPage, type FileRef } from './pages/file-viewer.js'

const Uuid = Type.String({ maxLength: FORM_LIMITS.id })

/**
 * The file viewer (any staff member): a member's file large, and the route every console image of
 * a verification file goes through. That route checks the staff session, records the look (once per
 * visit) and only then redirects to a signed link of VIEWER_LINK_TTL_SECONDS; so a page's images
 * work for as long as the session does, and a signed link never outlives the moment it is used.
 */
export const consoleFileRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (
  app,
  { useCases, mediaBaseUrl }
) => {
  const anyStaff = staffOnly(useCases.staffSignIn.visit, 'any')
  const files = useCases.memberFiles
  await app.register(fileViewerScriptRoutes)

  app.get(
    '/console/members/:uuid/files/:order',
    {
      preHandler: anyStaff,
      schema: { hide: true, params: Type.Object({ uuid: Uuid, order: Type.String({ pattern: '^[0-9]{1,3}$' }) }) }
    },
    async (request, reply) => {
      const { by } = consoleContext(request)
      const link = await files.link(by, request.params.uuid, Number(request.params.order))
      return reply.redirect(link, 303)
    }
  )

  app.get(
    '/console/members/:uuid/view/:file',
    {
      preHandler: anyStaff,
      schema: {
        hide: true,
        params: Type.Object({ uuid: Uuid, file: Type.String({ pattern: '^(id-[0-9]{1,3}|avatar|profile)$' }) })
      }
    },
    async (request, reply) => {
      const { by, frame } = consoleContext(request)
      const view = await files.viewer(by, request.params.uuid)
      const { user } = view
      const uuid = toShortUuid(user.id)
      const profile = user.profile
      const shownFiles = memberFiles(frame, uuid, {
        verification: (profile?.verificationFiles ?? []).map(file => file.displayOrder),
        avatarUrl: mediaUrl(mediaBaseUrl, profile?.avatarKey ?? null),
        profileUrl: mediaUrl(mediaBaseUrl, profile?.profileKey ?? null)
      })
      const shown = shownFiles.find(file => file.ref === (request.params.file as FileRef))
      if (shown === undefined) throw new NotFoundError()
      return sendPage(
        reply,
        200,
        viewerPage(frame, { uuid, who: profile?.username ?? user.email ?? uuid, files: shownFiles, shown })
      )
    }
  )
}
