import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { DoorSession } from '../../../application/linked-sign-in/door-session.js'
import type { ProviderToken } from '../../../application/linked-sign-in/provider-sign-in.js'
import type { UseCases } from '../../../application/make-use-cases.js'
import type { Passkey } from '../../../domain/passkey.js'
import { NotFoundError } from '../../../domain/errors.js'
import {
  SIGN_IN_PROVIDERS,
  isSignInProvider,
  type LinkedIdentity,
  type SignInProvider
} from '../../../domain/sign-in-provider.js'
import { principalOf, requireUser, userAgentOf } from '../authentication.js'
import { preferredLanguage } from '../language.js'
import { MessageBody } from '../schemas/common.js'
import { EXAMPLE_ACCESS, EXAMPLE_MEMBER, EXAMPLE_REFRESH, withExample } from '../schemas/examples.js'
import { literals } from '../schemas/literals.js'
import { BEARER, PUBLIC } from '../schemas/openapi-document.js'
import { BODY_REFUSALS, TOKEN_REFUSALS, errorResponses } from '../schemas/openapi-errors.js'
import { MemberJson, memberJson } from './member-json.js'

const Provider = Type.Union(literals(SIGN_IN_PROVIDERS))
/** What the app's provider SDK handed it. */
const ProviderTokenBody = Type.Object({
  id_token: Type.String({ minLength: 1, maxLength: 8192 }),
  nonce: Type.Optional(Type.String({ maxLength: 256, description: 'The raw nonce the app gave the SDK' })),
  authorization_code: Type.Optional(
    Type.String({ maxLength: 1024, description: "Apple's authorization code (kept only to revoke at deletion)" })
  ),
  name: Type.Optional(Type.String({ maxLength: 100, description: 'The name Apple gives at the first sign-in' }))
})
/** A provider sign-in attached at the phone door's sign-up: from then on the member signs in with it. */
export const SignInWith = Type.Object({ provider: Provider, ...ProviderTokenBody.properties }, {
  description: "A Kakao, Apple or Google sign-in from the app's SDK, attached to the new member"
})
/** A WebAuthn answer, as @simplewebauthn/browser or the platform API encodes it (base64url JSON). */
const Credential = Type.Object({}, { additionalProperties: true, description: 'The authenticator response JSON' })
const Options = Type.Object({}, { additionalProperties: true, description: 'WebAuthn options JSON for the device' })

/** The shape of an attestation (@simplewebauthn/browser's JSON); the values are placeholders. */
const EXAMPLE_ATTESTATION = {
  id: 'hZ0YSXS6ohJjPB6dWqB8Rg',
  rawId: 'hZ0YSXS6ohJjPB6dWqB8Rg',
  type: 'public-key',
  response: {
    clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0',
    attestationObject: 'o2NmbXRkbm9uZQ',
    transports: ['internal']
  },
  clientExtensionResults: {},
  authenticatorAttachment: 'platform'
}

const PhoneSession = withExample(Type.Object({ access: Type.String(), refresh: Type.String(), user: MemberJson }), {
  access: EXAMPLE_ACCESS,
  refresh: EXAMPLE_REFRESH,
  user: EXAMPLE_MEMBER
})
const EmailSession = withExample(Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') }), {
  access_token: EXAMPLE_ACCESS,
  token_type: 'bearer'
})
const IdentityJson = Type.Object({
  provider: Provider,
  subject: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  email_verified: Type.Boolean(),
  name: Type.Union([Type.String(), Type.Null()]),
  linked_at: Type.String(),
  last_used_at: Type.String()
})
const PasskeyJson = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  device_type: Type.String(),
  backed_up: Type.Boolean(),
  created_at: Type.String(),
  last_used_at: Type.Union([Type.String(), Type.Null()])
})

const SIGN_IN_REFUSALS = [
  ...BODY_REFUSALS,
  'member_pending',
  'member_rejected',
  'throttled',
  'service_unavailable'
] as const

const identityJson = (identity: LinkedIdentity) => ({
  provider: identity.provider,
  subject: identity.subject,
  email: identity.email,
  email_verified: identity.emailVerified,
  name: identity.name,
  linked_at: identity.linkedAt.toISOString(),
  last_used_at: identity.lastUsedAt.toISOString()
})
const passkeyJson = (passkey: Passkey) => ({
  id: passkey.credentialId,
  name: passkey.name,
  device_type: passkey.deviceType,
  backed_up: passkey.backedUp,
  created_at: passkey.createdAt.toISOString(),
  last_used_at: passkey.lastUsedAt?.toISOString() ?? null
})

type TokenBody = { id_token: string, nonce?: string, authorization_code?: string, name?: string }
export const providerToken = (provider: SignInProvider, body: TokenBody): ProviderToken => ({
  provider,
  idToken: body.id_token,
  nonce: body.nonce ?? null,
  authorizationCode: body.authorization_code ?? null,
  name: body.name ?? null
})

/** Who signs in, as the use-cases take it. */
const requestOf = (request: FastifyRequest, door: 'phone' | 'email') => ({
  door,
  client: request.ip,
  userAgent: userAgentOf(request),
  language: preferredLanguage(request.headers['accept-language'])
})

/**
 * Kakao, Apple and Google from the apps' native SDKs, and passkeys: a sign-in route on each door
 * (its answer and its error format), and the member's own lists (either door's token, the email
 * door's format, beside `/auth/sessions`). Additive: no existing route changes.
 */
export const linkedSignInRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases, mediaBaseUrl: string }> = async (
  app,
  { useCases, mediaBaseUrl }
) => {
  const authenticated = { preHandler: requireUser(useCases.authenticate) }
  // The member's routes take the provider as text, checked after the token: a request without one
  // is a 401 whatever its path says (an enum in the schema would answer 400 first).
  const MemberProviderParams = Type.Object({ provider: Type.String({ maxLength: 32 }) })
  const known = (provider: string): SignInProvider => {
    if (!isSignInProvider(provider)) throw new NotFoundError()
    return provider
  }
  const { providerSignIn, passkeySignIn } = useCases
  const phone = (session: DoorSession) => {
    if (session.door !== 'phone') throw new Error('a phone sign-in answered another door')
    return { access: session.access, refresh: session.refresh, user: memberJson(mediaBaseUrl, session.member) }
  }
  const email = (session: DoorSession) => {
    if (session.door !== 'email') throw new Error('an email sign-in answered another door')
    return { access_token: session.accessToken, token_type: 'bearer' as const }
  }
  const ProviderParams = Type.Object({ provider: Provider })
  const providerRefusals = [
    'invalid_id_token',
    'identity_not_linked',
    'identity_email_unproven',
    'provider_unavailable'
  ] as const

  app.post('/api/identity/:provider/', {
    config: { limit: 'perAddress' },
    schema: {
      tags: ['phone door: providers and passkeys'],
      operationId: 'signInWithProviderPhoneDoor',
      summary: "Sign in with a Kakao, Apple or Google ID token from the app's SDK (the phone app's answer)",
      security: PUBLIC,
      params: ProviderParams,
      body: withExample(ProviderTokenBody, { id_token: 'eyJraWQiOi…', nonce: 'n-0S6_WzA2Mj' }),
      response: { 200: PhoneSession, ...errorResponses('api', ...providerRefusals, ...SIGN_IN_REFUSALS) }
    }
  }, async request => phone(await providerSignIn.signIn(
    providerToken(request.params.provider, request.body),
    requestOf(request, 'phone')
  )))

  app.post('/auth/identity/:provider', {
    config: { limit: 'perAddress' },
    schema: {
      tags: ['email door: providers and passkeys'],
      operationId: 'signInWithProviderEmailDoor',
      summary: "Sign in with a Kakao, Apple or Google ID token from the app's SDK (the email app's answer)",
      security: PUBLIC,
      params: ProviderParams,
      body: withExample(ProviderTokenBody, { id_token: 'eyJraWQiOi…', nonce: 'n-0S6_WzA2Mj' }),
      response: { 200: EmailSession, ...errorResponses('auth', ...providerRefusals, ...SIGN_IN_REFUSALS) }
    }
  }, async request => email(await providerSignIn.signIn(
    providerToken(request.params.provider, request.body),
    requestOf(request, 'email')
  )))

  const passkeyRefusals = ['passkey_refused', 'not_found'] as const
  for (const door of ['phone', 'email'] as const) {
    const base = door === 'phone' ? '/api/passkeys/sign-in' : '/auth/passkeys/sign-in'
    const slash = door === 'phone' ? '/' : ''
    const tags = [door === 'phone' ? 'phone door: providers and passkeys' : 'email door: providers and passkeys']
    const format = door === 'phone' ? 'api' : 'auth'
    app.post(`${base}/options${slash}`, {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: `passkeySignInOptions${door === 'phone' ? 'PhoneDoor' : 'EmailDoor'}`,
        summary: 'Step 1 of a passkey sign-in: options with a fresh challenge (any of the device\'s passkeys)',
        security: PUBLIC,
        response: {
          200: Options,
          ...errorResponses(format, 'not_found', ...BODY_REFUSALS, 'throttled', 'service_unavailable')
        }
      }
    }, async () => await passkeySignIn.signInOptions())
    app.post(`${base}${slash}`, {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: `passkeySignIn${door === 'phone' ? 'PhoneDoor' : 'EmailDoor'}`,
        summary: "Step 2: the device's assertion for that challenge; once verified, the door's tokens",
        security: PUBLIC,
        body: Type.Object({ credential: Credential }),
        response: {
          200: door === 'phone' ? PhoneSession : EmailSession,
          ...errorResponses(format, ...passkeyRefusals, ...SIGN_IN_REFUSALS)
        }
      }
    }, async request => {
      const session = await passkeySignIn.signIn(request.body.credential, requestOf(request, door))
      return door === 'phone' ? phone(session) : email(session)
    })
  }

  const selfTags = ['either door: providers and passkeys']
  app.get('/auth/identities', {
    ...authenticated,
    schema: {
      tags: selfTags,
      operationId: 'listIdentities',
      summary: "The member's Kakao, Apple and Google identities, oldest first (either door's token)",
      security: BEARER,
      response: {
        200: Type.Object({ identities: Type.Array(IdentityJson) }),
        ...errorResponses('auth', ...TOKEN_REFUSALS, 'service_unavailable')
      }
    }
  }, async request => ({ identities: (await providerSignIn.list(principalOf(request))).map(identityJson) }))

  app.post('/auth/identities/:provider', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags: selfTags,
      operationId: 'linkIdentity',
      summary: 'Link a provider identity to the signed-in member (within 10 minutes of signing in)',
      security: BEARER,
      params: MemberProviderParams,
      body: withExample(ProviderTokenBody, { id_token: 'eyJraWQiOi…', nonce: 'n-0S6_WzA2Mj' }),
      response: {
        200: Type.Object({ identities: Type.Array(IdentityJson) }),
        ...errorResponses(
          'auth',
          'not_found',
          'invalid_id_token',
          'identity_linked_elsewhere',
          'reauthentication_required',
          'email_not_verified',
          'provider_unavailable',
          ...BODY_REFUSALS,
          ...TOKEN_REFUSALS,
          'throttled',
          'service_unavailable'
        )
      }
    }
  }, async request => ({
    identities: (await providerSignIn.link(
      principalOf(request),
      providerToken(known(request.params.provider), request.body),
      request.ip
    )).map(identityJson)
  }))

  app.delete('/auth/identities/:provider/:subject', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags: selfTags,
      operationId: 'unlinkIdentity',
      summary: "Unlink one of the member's identities (never the last way in); Apple's token is revoked",
      security: BEARER,
      params: Type.Object({ provider: Type.String({ maxLength: 32 }), subject: Type.String({ maxLength: 255 }) }),
      response: {
        200: withExample(MessageBody, { message: 'Identity unlinked' }),
        ...errorResponses(
          'auth',
          'not_found',
          'last_sign_in_method',
          ...BODY_REFUSALS,
          ...TOKEN_REFUSALS,
          'throttled',
          'service_unavailable'
        )
      }
    }
  }, async request => {
    const { provider, subject } = request.params
    await providerSignIn.unlink(principalOf(request), known(provider), subject, request.ip)
    return { message: 'Identity unlinked' }
  })

  app.get('/auth/passkeys', {
    ...authenticated,
    schema: {
      tags: selfTags,
      operationId: 'listPasskeys',
      summary: "The member's passkeys, oldest first (either door's token)",
      security: BEARER,
      response: {
        200: Type.Object({ passkeys: Type.Array(PasskeyJson) }),
        ...errorResponses('auth', ...TOKEN_REFUSALS, 'service_unavailable')
      }
    }
  }, async request => ({ passkeys: (await passkeySignIn.list(principalOf(request))).map(passkeyJson) }))

  app.post('/auth/passkeys/registration/options', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags: selfTags,
      operationId: 'passkeyRegistrationOptions',
      summary: 'Step 1 of adding a passkey: options for the device (within 10 minutes of signing in)',
      security: BEARER,
      response: {
        200: Options,
        ...errorResponses(
          'auth',
          'not_found',
          'reauthentication_required',
          'email_not_verified',
          ...BODY_REFUSALS,
          ...TOKEN_REFUSALS,
          'throttled',
          'service_unavailable'
        )
      }
    }
  }, async request => await passkeySignIn.registrationOptions(principalOf(request)))

  app.post('/auth/passkeys/registration', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags: selfTags,
      operationId: 'registerPasskey',
      summary: "Step 2: the device's attestation for that challenge; the passkey is the member's",
      security: BEARER,
      body: withExample(Type.Object({ credential: Credential, name: Type.Optional(Type.String({ maxLength: 100 })) }), {
        credential: EXAMPLE_ATTESTATION,
        name: 'iPhone'
      }),
      response: {
        200: Type.Object({ passkeys: Type.Array(PasskeyJson) }),
        ...errorResponses(
          'auth',
          'passkey_refused',
          'not_found',
          'reauthentication_required',
          'email_not_verified',
          ...BODY_REFUSALS,
          ...TOKEN_REFUSALS,
          'throttled',
          'service_unavailable'
        )
      }
    }
  }, async request => ({
    passkeys: (await passkeySignIn.register(
      principalOf(request),
      request.body.credential,
      request.body.name ?? null,
      request.ip
    )).map(passkeyJson)
  }))

  app.delete('/auth/passkeys/:id', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags: selfTags,
      operationId: 'removePasskey',
      summary: "Remove one of the member's passkeys (never the last way in)",
      security: BEARER,
      params: Type.Object({ id: Type.String({ maxLength: 1024 }) }),
      response: {
        200: withExample(MessageBody, { message: 'Passkey removed' }),
        ...errorResponses(
          'auth',
          'not_found',
          'last_sign_in_method',
          ...BODY_REFUSALS,
          ...TOKEN_REFUSALS,
          'throttled',
          'service_unavailable'
        )
      }
    }
  }, async request => {
    await passkeySignIn.remove(principalOf(request), request.params.id, request.ip)
    return { message: 'Passkey removed' }
  })
}
