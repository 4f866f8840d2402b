import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StaffVisit } from '../../../application/staff/staff-sign-in.js'
import type { ActingStaff } from '../../../application/staff/staff-admin.js'
import type { StaffRole } from '../../../domain/staff.js'
import { consoleLanguage } from './language-cookie.js'
import { CONSOLE_TEXTS } from './pages/console-texts.js'
import { isForgedWrite } from './csrf.js'
import type { Frame } from './pages/layout.js'
import { messagePage } from './pages/sign-in-pages.js'
import { clearSessionCookie, readSessionId } from './session-cookie.js'

/** A console request that passed its checks: who, their page frame, and how the trail names them. */
export interface ConsoleContext { visit: StaffVisit, frame: Frame, by: ActingStaff }

export type VisitOf = (sessionId: string) => Promise<StaffVisit | null>

export function frameOf (
  request: FastifyRequest,
  visit: StaffVisit | null,
  csrf: string | null = visit?.session.csrfToken ?? null
): Frame {
  const language = consoleLanguage(request)
  return {
    t: CONSOLE_TEXTS[language],
    language,
    // A form's answer is no page to come back to: the language switch then goes to the queue.
    ...(request.method === 'GET' ? { path: request.url } : {}),
    staff:
      visit === null
        ? null
        : { email: visit.staff.email, role: visit.staff.role, mustChangePassword: visit.staff.mustChangePassword },
    csrf
  }
}

export function sendPage (reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}

/** Where a staff member changes their own password; the only page a one-time password opens. */
export const PASSWORD_PAGE = '/console/password'

const admitted = new WeakMap<object, ConsoleContext>()

/**
 * The admission of a console route, as its preHandler: a signed-in session of an active staff
 * member with the role, and for a form post its own origin and the session's CSRF token. A page
 * asked for without a session goes to the sign-in page; a form posted without one is a 401 page
 * (its input is not carried over a sign-in). The handler then reads who passed with consoleContext.
 *
 * A member signed in with a one-time password reaches only the routes marked `passwordPage`
 * (the change-password page): any other page sends them there, any other form is refused (403).
 */
export function staffOnly (visitOf: VisitOf, role: StaffRole | 'any', options: { passwordPage?: boolean } = {}) {
  return async function admitStaff (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const sessionId = readSessionId(request)
    const visit = sessionId === null ? null : await visitOf(sessionId)
    const isForm = request.method === 'POST'
    if (visit === null) {
      if (sessionId !== null) clearSessionCookie(request, reply)
      if (!isForm) return reply.redirect('/console/sign-in', 303)
      const frame = frameOf(request, null)
      return sendPage(
        reply,
        401,
        messagePage(frame, frame.t.signInTitle, frame.t.errors.session, {
          href: '/console/sign-in',
          label: frame.t.signIn
        })
      )
    }
    const frame = frameOf(request, visit)
    if (isForm && isForgedWrite(request, visit.session.csrfToken)) {
      return sendPage(
        reply,
        403,
        messagePage(frame, frame.t.product, frame.t.errors.csrf, { href: '/console/queue', label: frame.t.queue })
      )
    }
    if (visit.staff.mustChangePassword && options.passwordPage !== true) {
      if (!isForm) return reply.redirect(PASSWORD_PAGE, 303)
      return sendPage(
        reply,
        403,
        messagePage(frame, frame.t.product, frame.t.errors.must_change_password, {
          href: PASSWORD_PAGE,
          label: frame.t.passwordTitle
        })
      )
    }
    if (role === 'admin' && visit.staff.role !== 'admin') {
      return sendPage(
        reply,
        403,
        messagePage(frame, frame.t.product, frame.t.errors.forbidden, { href: '/console/queue', label: frame.t.queue })
      )
    }
    const by: ActingStaff = {
      actor: { kind: 'staff', staffId: visit.staff.id, email: visit.staff.email },
      address: request.ip
    }
    admitted.set(request, { visit, frame, by })
    return undefined
  }
}

/** Who passed this request's staffOnly preHandler; a route without one is a programming error. */
export function consoleContext (request: FastifyRequest): ConsoleContext {
  const context = admitted.get(request)
  if (context === undefined) {
    throw new Error(`${request.method} ${request.routeOptions.url ?? ''} has no staffOnly preHandler`)
  }
  return context
}
