import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { UseCases } from '../../../application/make-use-cases.js'
import { bearerToken, principalOf, requireUser, userAgentOf } from '../authentication.js'
import { pickLanguage, preferredLanguage } from '../language.js'
import { MessageBody } from '../schemas/common.js'
import { EXAMPLE_ACCESS, withExample } from '../schemas/examples.js'
import { BEARER, PUBLIC } from '../schemas/openapi-document.js'
import { BODY_REFUSALS, TOKEN_REFUSALS, errorResponses, invalidFields } from '../schemas/openapi-errors.js'

const Credentials = withExample(Type.Object({ email: Type.String(), password: Type.String() }), {
  email: 'user@example.com',
  password: 'password123'
})
const TokenBody = withExample(Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') }), {
  access_token: EXAMPLE_ACCESS,
  token_type: 'bearer'
})
const message = (text: string) => withExample(MessageBody, { message: text })
const Account = withExample(
  Type.Object({
    uuid: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    mobile: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    created_at: Type.String({ format: 'date-time' })
  }),
  {
    uuid: 'aHApG3fYurtg7VMxTEZXtp',
    email: 'user@example.com',
    mobile: null,
    status: 'approved',
    created_at: '2024-06-11T09:30:00.000Z'
  }
)
const LOGIN_REFUSALS = [
  'invalid_credentials',
  'member_pending',
  'member_rejected',
  ...BODY_REFUSALS,
  'throttled',
  'service_unavailable'
] as const

/** The email door. Success texts are the email app's API document's English strings, verbatim. */
export const emailRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases }> = async (app, { useCases }) => {
  const authenticated = { preHandler: requireUser(useCases.authenticate) }
  const tags = ['email door']

  app.post(
    '/auth/register',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'registerWithEmail',
        summary: 'Create an account with email and password',
        security: PUBLIC,
        body: withExample(
          Type.Object({
            email: Type.String(),
            password: Type.String(),
            fcm_token: Type.Optional(Type.Union([Type.String(), Type.Null()]))
          }),
          { email: 'user@example.com', password: 'password123', fcm_token: 'firebase_cloud_messaging_token' }
        ),
        response: {
          200: message('User created successfully'),
          ...errorResponses(
            'auth',
            invalidFields({ email: ['invalid_email'], password: ['password_too_short'] }),
            'email_taken',
            ...BODY_REFUSALS,
            'throttled',
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      const { email, password, fcm_token: fcmToken } = request.body
      await useCases.registerWithEmail({
        email,
        password,
        fcmToken: fcmToken ?? null,
        language: pickLanguage(request.headers['accept-language']),
        client: request.ip
      })
      return { message: 'User created successfully' }
    }
  )

  const login = async ({ email, password }: { email: string, password: string }, request: FastifyRequest) => {
    const language = preferredLanguage(request.headers['accept-language'])
    const { accessToken } = await useCases.loginWithPassword({
      email,
      password,
      client: request.ip,
      language,
      userAgent: userAgentOf(request)
    })
    return { access_token: accessToken, token_type: 'bearer' as const }
  }

  app.post(
    '/auth/login/json',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'loginWithEmail',
        summary: 'Log in (JSON)',
        security: PUBLIC,
        body: Credentials,
        response: {
          200: TokenBody,
          ...errorResponses('auth', invalidFields({ password: ['required'] }), ...LOGIN_REFUSALS)
        }
      }
    },
    async request => login(request.body, request)
  )

  app.post(
    '/auth/login',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'loginWithEmailForm',
        summary: 'Log in (OAuth2 password form, as FastAPI clients send it)',
        security: PUBLIC,
        consumes: ['application/x-www-form-urlencoded'],
        body: withExample(
          Type.Object({
            username: Type.String({ description: 'the email' }),
            password: Type.String(),
            grant_type: Type.Optional(Type.String({ pattern: '^password$' })),
            scope: Type.Optional(Type.String()),
            client_id: Type.Optional(Type.String()),
            client_secret: Type.Optional(Type.String())
          }),
          { username: 'user@example.com', password: 'password123', grant_type: 'password' }
        ),
        response: {
          200: TokenBody,
          ...errorResponses('auth', invalidFields({ grant_type: ['invalid'] }), ...LOGIN_REFUSALS)
        }
      }
    },
    async request => login({ email: request.body.username, password: request.body.password }, request)
  )

  // Authenticates itself: it reads the account row in parallel with the revocation check instead
  // of the standing first and the row after (the hottest route of the email door).
  app.get('/auth/me', {
    schema: {
      tags,
      operationId: 'getAccount',
      summary: "The caller's own account",
      security: BEARER,
      response: { 200: Account, ...errorResponses('auth', ...TOKEN_REFUSALS, 'service_unavailable') }
    }
  }, async (request) => {
    const { principal, account } = await useCases.authenticateAccount(bearerToken(request))
    // `sub` is the id's short form as issued: each UUID has exactly one (src/domain/short-uuid.ts).
    return {
      uuid: principal.claims.sub,
      email: account.email,
      mobile: account.mobile,
      status: account.status,
      created_at: account.createdAt.toISOString()
    }
  })

  app.post(
    '/auth/logout',
    {
      ...authenticated,
      config: { limit: { exempt: 'needs a valid access token' } },
      schema: {
        tags,
        operationId: 'logoutEmail',
        summary:
          'Revoke this access token (scope=all: every token of the account; scope=others: every session but this one)',
        security: BEARER,
        querystring: Type.Object({
          scope: Type.Optional(Type.Union([Type.Literal('this'), Type.Literal('all'), Type.Literal('others')]))
        }),
        response: {
          200: message('Successfully logged out'),
          ...errorResponses(
            'auth',
            invalidFields({ scope: ['invalid_choice'] }),
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      if (request.query.scope === 'others') {
        await useCases.memberSessions.endOthers(principalOf(request), request.ip)
      } else {
        await useCases.logout(principalOf(request), { everywhere: request.query.scope === 'all', client: request.ip })
      }
      return { message: 'Successfully logged out' }
    }
  )

  app.delete(
    '/auth/me',
    {
      ...authenticated,
      config: { limit: { exempt: 'needs a valid access token' } },
      schema: {
        tags,
        operationId: 'deleteAccount',
        summary: 'Delete the account and everything that is theirs',
        security: BEARER,
        response: {
          200: message('User account deleted successfully'),
          ...errorResponses('auth', ...BODY_REFUSALS, ...TOKEN_REFUSALS, 'service_unavailable')
        }
      }
    },
    async request => {
      const files = await useCases.deleteAccount(principalOf(request), { client: request.ip })
      if (files.failed > 0) {
        request.log.warn(
          { event: 'files.deletion_deferred', ...files },
          'some stored files stay queued for the sweeper'
        )
      }
      return { message: 'User account deleted successfully' }
    }
  )

  app.put(
    '/auth/fcm-token',
    {
      ...authenticated,
      config: { limit: { exempt: 'needs a valid access token' } },
      schema: {
        tags,
        operationId: 'addFcmToken',
        summary: "Add this device's FCM push token",
        security: BEARER,
        body: withExample(Type.Object({ fcm_token: Type.String() }), { fcm_token: 'new_fcm_token_here' }),
        response: {
          200: message('FCM token updated successfully'),
          ...errorResponses(
            'auth',
            invalidFields({ fcm_token: ['blank'] }),
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'update_failed',
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      await useCases.updateFcm(principalOf(request), request.body.fcm_token)
      return { message: 'FCM token updated successfully' }
    }
  )
}
