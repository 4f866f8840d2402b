import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StaffVisit } from '../../../application/staff-sign-in.js'
import type { ActingStaff } from '../../../application/staff-admin.js'
import type { StaffRole } from '../../../domain/staff.js'
import { pickLanguage } from '../language.js'
import { CONSOLE_TEXTS } from './console-texts.js'
import { checkCsrf, CSRF_FIELD, isCrossOriginWrite } from './csrf.js'
import type { Frame } from './layout.js'
import { messagePage } from './sign-in-pages.js'
import { clearSessionCookie, readSessionId } from './session-cookie.js'

/** A console request that passed its checks: who, their page frame, and how the trail names them. */
export interface ConsoleContext { visit: StaffVisit, frame: Frame, by: ActingStaff }

export type VisitOf = (sessionId: string) => Promise<StaffVisit | null>

export function frameOf (request: FastifyRequest, visit: StaffVisit | null, csrf: string | null = visit?.session.csrfToken ?? null): Frame {
  const language = pickLanguage(request.headers['accept-language'])
  return { t: CONSOLE_TEXTS[language], language, staff: visit === null ? null : { email: visit.staff.email, role: visit.staff.role }, csrf }
}

export function sendPage (reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}

/**
 * Wraps a console handler with its admission: a signed-in session of an active staff member with
 * the role, and for a form post its own origin and the session's CSRF token. A page asked for
 * without a session goes to the sign-in page; a form posted without one is a 401 page (its
 * input is not carried over a sign-in).
 */
export function guarded (visitOf: VisitOf, role: StaffRole | 'any', handler: (context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const sessionId = readSessionId(request)
    const visit = sessionId === null ? null : await visitOf(sessionId)
    const isForm = request.method === 'POST'
    if (visit === null) {
      if (sessionId !== null) clearSessionCookie(request, reply)
      if (!isForm) return reply.redirect('/console/sign-in', 303)
      const frame = frameOf(request, null)
      return sendPage(reply, 401, messagePage(frame, frame.t.signInTitle, frame.t.errors.session, { href: '/console/sign-in', label: frame.t.signIn }))
    }
    const frame = frameOf(request, visit)
    if (isForm && (isCrossOriginWrite(request) || !checkCsrf(visit.session, (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]))) {
      return sendPage(reply, 403, messagePage(frame, frame.t.product, frame.t.errors.csrf, { href: '/console/queue', label: frame.t.queue }))
    }
    if (role === 'admin' && visit.staff.role !== 'admin') {
      return sendPage(reply, 403, messagePage(frame, frame.t.product, frame.t.errors.forbidden, { href: '/console/queue', label: frame.t.queue }))
    }
    const by: ActingStaff = { actor: { kind: 'staff', staffId: visit.staff.id, email: visit.staff.email }, address: request.ip }
    return handler({ visit, frame, by }, request, reply)
  }
}
