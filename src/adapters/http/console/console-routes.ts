import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import type { UseCases } from '../../../application/make-use-cases.js'
import { InvalidCredentialsError, InvalidOtpError, RetryLaterError } from '../../../domain/errors.js'
import { consoleAssetRoutes } from './pages/assets.js'
import { consoleChromeRoutes } from './console-chrome-routes.js'
import { consoleAdminRoutes } from './console-admin-routes.js'
import { consoleAuditRoutes } from './console-audit-routes.js'
import { consoleFileRoutes } from './console-file-routes.js'
import { frameOf, sendPage } from './console-context.js'
import { consoleDecisionRoutes } from './console-decision-routes.js'
import { consoleReasonRoutes } from './console-reason-routes.js'
import { renderConsoleError } from './console-errors.js'
import { consolePasswordRoutes } from './console-password-routes.js'
import { consoleReviewRoutes } from './console-review-routes.js'
import { consoleSupportRoutes } from './console-support-routes.js'
import { formField, isForgedWrite } from './csrf.js'
import { deviceOf } from './device-cookie.js'
import { issuePreSession, PRE_SESSION_FIELD, preSessionToken } from './pre-session.js'
import { consoleSecurityHeaders, setSecurityHeaders } from './security-headers.js'
import { clearSessionCookie, readSessionId, setSessionCookie } from './session-cookie.js'
import { messagePage, secondFactorPage, signInPage } from './pages/sign-in-pages.js'

export interface ConsoleOptions {
  useCases: UseCases
  mediaBaseUrl: string
  /** Origins besides the service's own that pages may load images from (the S3 bucket's). */
  imageOrigins: readonly string[]
}

const HIDDEN = { schema: { hide: true } }
// A password or a TOTP code from anyone: the per-address request limit on top of the guess limits.
const GUESSED = { ...HIDDEN, config: { limit: 'perAddress' as const } }

/** `/console/*`: the staff review console, server-rendered HTML; script only as the console's own files. */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, options) => {
  const { useCases } = options
  const signIn = useCases.staffSignIn
  const headers = consoleSecurityHeaders(options.imageOrigins)
  app.addHook('onRequest', async (_request, reply) => { setSecurityHeaders(reply, headers) })
  app.setErrorHandler(async (error: FastifyError, request, reply) => renderConsoleError(error, request, reply))
  await app.register(consoleAssetRoutes)
  await app.register(consoleChromeRoutes)

  const client = (request: FastifyRequest) => ({
    address: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 300) ?? null
  })
  const refusal = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    const frame = frameOf(request, null)
    return sendPage(
      reply,
      status,
      messagePage(frame, frame.t.signInTitle, message, { href: '/console/sign-in', label: frame.t.signIn })
    )
  }

  app.get('/console', HIDDEN, async (_request, reply) => reply.redirect('/console/queue', 303))
  app.get('/console/', HIDDEN, async (_request, reply) => reply.redirect('/console/queue', 303))

  app.get('/console/sign-in', HIDDEN, async (request, reply) => {
    const sessionId = readSessionId(request)
    if (sessionId !== null && await signIn.visit(sessionId) !== null) return reply.redirect('/console/queue', 303)
    return sendPage(reply, 200, signInPage(frameOf(request, null), { preToken: issuePreSession(request, reply) }))
  })

  app.post('/console/sign-in', GUESSED, async (request, reply) => {
    const frame = frameOf(request, null)
    if (isForgedWrite(request, preSessionToken(request), PRE_SESSION_FIELD)) {
      return refusal(request, reply, 403, frame.t.errors.csrf)
    }
    const email = formField(request.body, 'email') ?? ''
    const again = (status: number, error: string) =>
      sendPage(reply, status, signInPage(frame, { preToken: issuePreSession(request, reply), email, error }))
    try {
      const sessionId = await signIn.password(
        { email, password: formField(request.body, 'password') ?? '' },
        { ...client(request), device: deviceOf(request, reply) }
      )
      setSessionCookie(request, reply, sessionId)
      return reply.redirect('/console/second-factor', 303)
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return again(401, frame.t.errors.invalid_credentials)
      if (error instanceof RetryLaterError) {
        reply.header('retry-after', String(error.retryAfterSeconds))
        return again(429, frame.t.errors.throttled(error.retryAfterSeconds))
      }
      throw error
    }
  })

  const secondFactor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    sessionId: string,
    status: number,
    error: string | null
  ) => {
    const session = await signIn.session(sessionId)
    const enrolment = await signIn.enrolment(sessionId)
    const qr =
      enrolment === null
        ? null
        : {
            ...enrolment,
            qrDataUrl:
              'data:image/svg+xml;base64,' +
              Buffer.from(await QRCode.toString(enrolment.uri, { type: 'svg', margin: 1 })).toString('base64')
          }
    return sendPage(
      reply,
      status,
      secondFactorPage(frameOf(request, null, session?.csrfToken ?? null), { enrolment: qr, error })
    )
  }

  /** The session between password and code, or null (then the visitor starts over). */
  const pendingSession = async (request: FastifyRequest) => {
    const sessionId = readSessionId(request)
    if (sessionId === null) return null
    const session = await signIn.session(sessionId)
    return session === null || session.stage !== 'second_factor' ? null : { sessionId, session }
  }

  app.get('/console/second-factor', HIDDEN, async (request, reply) => {
    const pending = await pendingSession(request)
    if (pending === null) return reply.redirect('/console/sign-in', 303)
    return secondFactor(request, reply, pending.sessionId, 200, null)
  })

  app.post('/console/second-factor', GUESSED, async (request, reply) => {
    const pending = await pendingSession(request)
    const t = frameOf(request, null).t
    if (pending === null) return refusal(request, reply, 401, t.errors.session)
    if (isForgedWrite(request, pending.session.csrfToken)) return refusal(request, reply, 403, t.errors.csrf)
    try {
      const promoted = await signIn.secondFactor(
        pending.sessionId,
        formField(request.body, 'code') ?? '',
        client(request)
      )
      if (promoted === null) {
        clearSessionCookie(request, reply)
        return refusal(request, reply, 401, t.errors.session)
      }
      setSessionCookie(request, reply, promoted)
      return reply.redirect('/console/queue', 303)
    } catch (error) {
      if (error instanceof InvalidOtpError) {
        return secondFactor(request, reply, pending.sessionId, 401, t.errors.invalid_code)
      }
      if (error instanceof RetryLaterError) {
        reply.header('retry-after', String(error.retryAfterSeconds))
        return secondFactor(request, reply, pending.sessionId, 429, t.errors.throttled(error.retryAfterSeconds))
      }
      throw error
    }
  })

  app.post(
    '/console/sign-out',
    { ...HIDDEN, config: { limit: { exempt: 'ends the session its cookie names; nothing to guess' } } },
    async (request, reply) => {
      const sessionId = readSessionId(request)
      const session = sessionId === null ? null : await signIn.session(sessionId)
      // A stale tab's sign-out needs no token: the session is gone already, and ending nothing harms no one.
      if (session !== null && isForgedWrite(request, session.csrfToken)) {
        return refusal(request, reply, 403, frameOf(request, null).t.errors.csrf)
      }
      if (sessionId !== null) await signIn.signOut(sessionId, client(request))
      clearSessionCookie(request, reply)
      return reply.redirect('/console/sign-in', 303)
    }
  )

  await app.register(consoleReviewRoutes, options)
  await app.register(consoleDecisionRoutes, options)
  await app.register(consoleReasonRoutes, options)
  await app.register(consoleFileRoutes, options)
  await app.register(consoleAuditRoutes, options)
  await app.register(consoleAdminRoutes, options)
  await app.register(consoleSupportRoutes, options)
  await app.register(consolePasswordRoutes, options)
}
