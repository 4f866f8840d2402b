import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { InvalidCredentialsError, InvalidOtpError, RetryLaterError, ValidationError } from '../../../domain/errors.js'
import { MIN_PASSWORD_LENGTH } from '../../../domain/password.js'
import { ERRORS } from '../errors/error-table.js'
import { consoleContext, PASSWORD_PAGE, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { PasswordForm } from './console-schemas.js'
import { passwordPage } from './pages/password-pages.js'
import { setSessionCookie } from './session-cookie.js'

const Done = Type.Object({ done: Type.Optional(Type.Literal('1')) })

/**
 * `/console/password`: a signed-in staff member changes their own password. The one page a
 * one-time password opens (staffOnly's `passwordPage`); a change ends every session of the member
 * and this browser carries on under a fresh one.
 */
export const consolePasswordRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const ownPassword = staffOnly(useCases.staffSignIn.visit, 'any', { passwordPage: true })

  app.get(
    PASSWORD_PAGE,
    { preHandler: ownPassword, schema: { hide: true, querystring: Done } },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      const notice = request.query.done === '1' ? frame.t.passwordChanged : null
      return sendPage(reply, 200, passwordPage(frame, { notice }))
    }
  )

  app.post(
    PASSWORD_PAGE,
    {
      // A password and a TOTP code: the per-address request limit on top of the guess limits.
      config: { limit: 'perAddress' as const },
      preHandler: ownPassword,
      schema: { hide: true, body: PasswordForm }
    },
    async (request, reply) => {
      const { frame, visit } = consoleContext(request)
      const { t } = frame
      const again = (status: number, error: string) => sendPage(reply, status, passwordPage(frame, { error }))
      const body = request.body
      if (body.next !== body.repeat) return again(ERRORS.invalid_input.status, t.errors.password_mismatch)
      let sessionId: string
      try {
        sessionId = await useCases.staffPasswords.change(
          visit.staff.id,
          { current: body.current, next: body.next, code: body.code },
          { address: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null }
        )
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          return again(ERRORS[error.code].status, t.errors.wrong_current_password)
        }
        if (error instanceof InvalidOtpError) return again(ERRORS[error.code].status, t.errors.invalid_code)
        if (error instanceof ValidationError) {
          const tooShort = error.fields.new_password?.includes('password_too_short') === true
          return again(
            ERRORS[error.code].status,
            tooShort ? t.errors.password_too_short(MIN_PASSWORD_LENGTH) : t.errors.password_same
          )
        }
        if (error instanceof RetryLaterError) {
          reply.header('retry-after', String(error.retryAfterSeconds))
          return again(ERRORS[error.code].status, t.errors.throttled(error.retryAfterSeconds))
        }
        throw error
      }
      setSessionCookie(request, reply, sessionId)
      return reply.redirect(`${PASSWORD_PAGE}?done=1`, 303)
    }
  )
}
