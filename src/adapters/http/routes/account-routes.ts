import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UseCases } from '../../../application/make-use-cases.js'
import { principalOf, requireUser, userAgentOf } from '../authentication.js'
import { MessageBody } from '../schemas/common.js'
import { EXAMPLE_ACCESS, withExample } from '../schemas/examples.js'
import { BEARER, OPTIONAL_BEARER, PUBLIC } from '../schemas/openapi-document.js'
import { BODY_REFUSALS, TOKEN_REFUSALS, errorResponses, invalidFields } from '../schemas/openapi-errors.js'

const message = (text: string) => withExample(MessageBody, { message: text })
const Code = Type.String({ maxLength: 16 })
const CODE_REFUSALS = ['invalid_code', 'code_expired', 'otp_attempts_exceeded', 'throttled'] as const
const SENT = 'If the address belongs to an account, a code is on its way.'
const UNDONE = 'The change was undone and every device signed out.'

/**
 * The email door's self-service (additive: the email app's own routes are unchanged): password
 * recovery and change, proving and changing the email. The email app's error format, new codes in its style.
 */
export const accountRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases }> = async (app, { useCases }) => {
  const authenticated = { preHandler: requireUser(useCases.authenticate) }
  const tags = ['email door: self-service']
  const verification = useCases.memberEmail.mode !== 'off'

  app.post(
    '/auth/password/forgot',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'forgotPassword',
        summary: 'Mail a password-reset code (always 202: no answer tells whether the address has an account)',
        security: PUBLIC,
        body: withExample(Type.Object({ email: Type.String({ maxLength: 320 }) }), { email: 'user@example.com' }),
        response: {
          202: message(SENT),
          ...errorResponses('auth', invalidFields({ email: ['required'] }), ...BODY_REFUSALS, 'throttled')
        }
      }
    },
    async (request, reply) => {
      // Answered before any lookup or mail, so the time taken says nothing either; the outcome is logged.
      useCases.passwordRecovery.forgot({ email: request.body.email, client: request.ip }).then(
        outcome => request.log.info({ event: 'password.forgot', outcome }, 'password reset asked'),
        (error: unknown) =>
          request.log.warn(
            { event: 'password.forgot', outcome: 'failed', reason: (error as Error).constructor.name },
            'password reset code not sent'
          )
      )
      reply.code(202)
      return { message: SENT }
    }
  )

  app.post(
    '/auth/password/reset',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'resetPassword',
        summary: 'Set a new password with the mailed code; every token of the account ends',
        security: PUBLIC,
        body: withExample(
          Type.Object({ email: Type.String({ maxLength: 320 }), code: Code, new_password: Type.String() }),
          { email: 'user@example.com', code: '482913', new_password: 'a new password' }
        ),
        response: {
          200: message('Password has been reset'),
          ...errorResponses(
            'auth',
            invalidFields({ new_password: ['password_too_short'] }),
            ...CODE_REFUSALS,
            ...BODY_REFUSALS,
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      const { email, code, new_password: newPassword } = request.body
      await useCases.passwordRecovery.reset({ email, code, newPassword, client: request.ip })
      return { message: 'Password has been reset' }
    }
  )

  app.post(
    '/auth/password/change',
    {
      ...authenticated,
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'changePassword',
        summary: 'Change the password; every earlier token ends and a fresh one is returned',
        security: BEARER,
        body: withExample(Type.Object({ current_password: Type.String(), new_password: Type.String() }), {
          current_password: 'password123',
          new_password: 'a new password'
        }),
        response: {
          200: withExample(Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') }), {
            access_token: EXAMPLE_ACCESS,
            token_type: 'bearer'
          }),
          ...errorResponses(
            'auth',
            invalidFields({ new_password: ['password_too_short'] }),
            'invalid_credentials',
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'throttled',
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      const { accessToken } = await useCases.changePassword(principalOf(request), {
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        client: request.ip,
        userAgent: userAgentOf(request)
      })
      return { access_token: accessToken, token_type: 'bearer' as const }
    }
  )

  app.put(
    '/auth/email',
    {
      ...authenticated,
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'changeEmail',
        summary:
          'Add an email (within 10 minutes of a sign-in; the password becomes yours) or change it (your current ' +
            'password); a code goes to the new address',
        security: BEARER,
        body: withExample(Type.Object({ email: Type.String({ maxLength: 320 }), password: Type.String() }), {
          email: 'new@example.com',
          password: 'password123'
        }),
        response: {
          202: message('We mailed a code to the new address'),
          ...errorResponses(
            'auth',
            invalidFields({ email: ['invalid_email'] }),
            'email_taken',
            'invalid_credentials',
            'reauthentication_required',
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'otp_resend_too_soon',
            'throttled',
            'mail_unavailable',
            'service_unavailable'
          )
        }
      }
    },
    async (request, reply) => {
      await useCases.memberEmail.change(principalOf(request), {
        email: request.body.email,
        password: request.body.password,
        client: request.ip
      })
      reply.code(202)
      return { message: verification ? 'We mailed a code to the new address' : 'Email changed' }
    }
  )

  app.post(
    '/auth/email/verify/request',
    {
      ...authenticated,
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'requestEmailVerification',
        summary: 'Mail a code to prove the email (the pending new one, if any)',
        security: BEARER,
        response: {
          202: message('We mailed you a code'),
          ...errorResponses(
            'auth',
            invalidFields({ email: ['required'] }),
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'not_found',
            'otp_resend_too_soon',
            'throttled',
            'mail_unavailable',
            'service_unavailable'
          )
        }
      }
    },
    async (request, reply) => {
      await useCases.memberEmail.requestVerification(principalOf(request), request.ip)
      reply.code(202)
      return { message: 'We mailed you a code' }
    }
  )

  app.post(
    '/auth/email/verify',
    {
      config: { limit: 'perAddress' },
      // The token is optional: a login refused under EMAIL_VERIFICATION=required leaves the member
      // without one, and they name the address instead.
      preHandler: async request => {
        if (request.headers.authorization !== undefined || request.body?.email === undefined) {
          await authenticated.preHandler(request)
        }
      },
      schema: {
        tags,
        operationId: 'verifyEmail',
        summary:
          'Prove the email with the mailed code (with a token: completes a pending change; without: name the address)',
        security: OPTIONAL_BEARER,
        body: withExample(Type.Object({ code: Code, email: Type.Optional(Type.String({ maxLength: 320 })) }), {
          code: '482913'
        }),
        response: {
          200: message('Email verified'),
          ...errorResponses(
            'auth',
            invalidFields({ email: ['required'] }),
            ...CODE_REFUSALS,
            'email_taken',
            'not_found',
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      if (request.principal === null) {
        await useCases.memberEmail.verifyAddress({
          email: request.body.email!,
          code: request.body.code,
          client: request.ip
        })
      } else await useCases.memberEmail.verify(principalOf(request), request.body.code, request.ip)
      return { message: 'Email verified' }
    }
  )

  app.post(
    '/auth/account/undo',
    {
      // No token: whoever made the change may hold every token there is. The code is the proof.
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'undoSignInChange',
        summary:
          'Undo a change of email or number with the code the old one was sent: it comes back, every session ends',
        security: PUBLIC,
        body: withExample(Type.Object({ code: Type.String({ maxLength: 32 }) }), { code: '7KQ2M-9XH4T' }),
        response: {
          200: message(UNDONE),
          ...errorResponses(
            'auth',
            invalidFields({ code: ['required'] }),
            'invalid_code',
            'sign_in_method_taken',
            'throttled',
            ...BODY_REFUSALS,
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      await useCases.undoSignInChange({ code: request.body.code, client: request.ip })
      return { message: UNDONE }
    }
  )

  const SessionJson = Type.Object({
    id: Type.String(),
    device: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Type.String({ format: 'date-time' }),
    current: Type.Boolean()
  })
  const EXAMPLE_SESSION = {
    id: '0d9a8c52-5d1e-4f57-9c58-2f4a5e7f6b10',
    device: 'PhoneApp/2.3 (iPhone; iOS 18.1)',
    ip: '203.0.113.7',
    created_at: '2026-11-20T09:30:00.000Z',
    last_used_at: '2026-11-27T08:12:00.000Z',
    current: true
  }

  app.get('/auth/sessions', {
    ...authenticated,
    schema: {
      tags,
      operationId: 'listSessions',
      summary: "The caller's live sign-ins on every device, newest first (either door's token)",
      security: BEARER,
      response: {
        200: withExample(Type.Object({ sessions: Type.Array(SessionJson) }), { sessions: [EXAMPLE_SESSION] }),
        ...errorResponses('auth', ...TOKEN_REFUSALS, 'service_unavailable')
      }
    }
  }, async (request) => {
    const { sessions, current } = await useCases.memberSessions.list(principalOf(request))
    return {
      sessions: sessions.map((session) => ({
        id: session.id,
        device: session.device,
        ip: session.ip,
        created_at: session.createdAt.toISOString(),
        last_used_at: session.lastUsedAt.toISOString(),
        current: session.id === current
      }))
    }
  })

  app.delete(
    '/auth/sessions/:id',
    {
      ...authenticated,
      config: { limit: { exempt: 'needs a valid access token' } },
      schema: {
        tags,
        operationId: 'endSession',
        summary: 'End one session: its refresh and access tokens stop working on every instance',
        security: BEARER,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: message('Session ended'),
          ...errorResponses('auth', 'not_found', ...BODY_REFUSALS, ...TOKEN_REFUSALS, 'service_unavailable')
        }
      }
    },
    async request => {
      await useCases.memberSessions.endOne(principalOf(request), request.params.id, request.ip)
      return { message: 'Session ended' }
    }
  )
}
