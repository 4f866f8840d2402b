import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { toShortUuid } from '../../domain/short-uuid.js'
import type { UseCases } from '../../application/make-use-cases.js'
import { bearerToken, principalOf, requireUser } from './authentication.js'
import { AuthErrorBody, BearerSecurity, MessageBody, errorResponses } from './schemas/common.js'

const Credentials = Type.Object({ email: Type.String(), password: Type.String() })
const TokenBody = Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') })
const Account = Type.Object({
  uuid: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  mobile: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  created_at: Type.String({ format: 'date-time' })
})

/** Seed 2: the email door. Success texts are the seed's English strings, verbatim. */
export const emailRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases }> = async (app, { useCases }) => {
  const authenticated = { preHandler: requireUser(useCases.authenticate) }
  const tags = ['email door']

  app.post('/auth/register', {
    schema: {
      tags,
      summary: 'Create an account with email and password',
      body: Type.Object({
        email: Type.String(),
        password: Type.String(),
        fcm_token: Type.Optional(Type.Union([Type.String(), Type.Null()]))
      }),
      response: { 200: MessageBody, ...errorResponses(AuthErrorBody, 400, 429, 500, 503) }
    }
  }, async (request) => {
    const { email, password, fcm_token: fcmToken } = request.body
    await useCases.registerWithEmail({ email, password, fcmToken: fcmToken ?? null })
    return { message: 'User created successfully' }
  })

  const login = async ({ email, password }: { email: string, password: string }) => {
    const { accessToken } = await useCases.loginWithPassword({ email, password })
    return { access_token: accessToken, token_type: 'bearer' as const }
  }

  app.post('/auth/login/json', {
    schema: { tags, summary: 'Log in (JSON)', body: Credentials, response: { 200: TokenBody, ...errorResponses(AuthErrorBody, 400, 401, 403, 406, 429, 503) } }
  }, async (request) => login(request.body))

  app.post('/auth/login', {
    schema: {
      tags,
      summary: 'Log in (OAuth2 password form, as FastAPI clients send it)',
      consumes: ['application/x-www-form-urlencoded'],
      body: Type.Object({
        username: Type.String({ description: 'the email' }),
        password: Type.String(),
        grant_type: Type.Optional(Type.String({ pattern: '^password$' })),
        scope: Type.Optional(Type.String()),
        client_id: Type.Optional(Type.String()),
        client_secret: Type.Optional(Type.String())
      }),
      response: { 200: TokenBody, ...errorResponses(AuthErrorBody, 400, 401, 403, 406, 415, 429, 503) }
    }
  }, async (request) => login({ email: request.body.username, password: request.body.password }))

  // Authenticates itself: it reads the account row in parallel with the revocation check instead
  // of the standing first and the row after (the hottest route of the email door).
  app.get('/auth/me', {
    schema: { tags, summary: "The caller's own account", security: BearerSecurity, response: { 200: Account, ...errorResponses(AuthErrorBody, 401, 503) } }
  }, async (request) => {
    const { user } = await useCases.authenticateAccount(bearerToken(request))
    return { uuid: toShortUuid(user.id), email: user.email, mobile: user.mobile, status: user.status, created_at: user.createdAt.toISOString() }
  })

  app.post('/auth/logout', {
    ...authenticated,
    schema: {
      tags,
      summary: 'Revoke this access token (scope=all: every token of the account)',
      security: BearerSecurity,
      querystring: Type.Object({ scope: Type.Optional(Type.Union([Type.Literal('this'), Type.Literal('all')])) }),
      response: { 200: MessageBody, ...errorResponses(AuthErrorBody, 400, 401, 503) }
    }
  }, async (request) => {
    await useCases.logout(principalOf(request), { everywhere: request.query.scope === 'all' })
    return { message: 'Successfully logged out' }
  })

  app.delete('/auth/me', {
    ...authenticated,
    schema: { tags, summary: 'Delete the account and everything that is theirs', security: BearerSecurity, response: { 200: MessageBody, ...errorResponses(AuthErrorBody, 401, 503) } }
  }, async (request) => {
    const files = await useCases.deleteAccount(principalOf(request))
    if (files.failed > 0) request.log.warn({ event: 'files.deletion_deferred', ...files }, 'some stored files stay queued for the sweeper')
    return { message: 'User account deleted successfully' }
  })

  app.put('/auth/fcm-token', {
    ...authenticated,
    schema: {
      tags,
      summary: "Add this device's FCM push token",
      security: BearerSecurity,
      body: Type.Object({ fcm_token: Type.String() }),
      response: { 200: MessageBody, ...errorResponses(AuthErrorBody, 400, 401, 500, 503) }
    }
  }, async (request) => {
    await useCases.updateFcm(principalOf(request), request.body.fcm_token)
    return { message: 'FCM token updated successfully' }
  })
}
