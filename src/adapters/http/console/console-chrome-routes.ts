import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LANGUAGES } from '../../../domain/language.js'
import { literals } from '../schemas/literals.js'
import { setConsoleLanguage } from './language-cookie.js'
import { consoleScriptRoutes } from './pages/console-script.js'

/** Where the switch may send the reader back to: a console page of this service, never another site. */
const BACK = /^\/console(?:[/?][A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/
export const BACK_MAX_LENGTH = 500

/**
 * What every console page shares besides its content: the keyboard script, and the language
 * switch, a plain link (it works on the sign-in pages, before any session or CSRF token) that
 * keeps the choice in a cookie and goes back to the page it was followed from.
 */
export const consoleChromeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(consoleScriptRoutes)

  app.get(
    '/console/language',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          to: Type.Union(literals(LANGUAGES)),
          back: Type.Optional(Type.String({ maxLength: BACK_MAX_LENGTH }))
        })
      }
    },
    async (request, reply) => {
      const { to, back } = request.query
      setConsoleLanguage(request, reply, to)
      return reply.redirect(back !== undefined && BACK.test(back) ? back : '/console/queue', 303)
    }
  )
}
