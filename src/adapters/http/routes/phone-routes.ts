import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UseCases } from '../../../application/make-use-cases.js'
import { UPLOAD_KINDS } from '../../../domain/uploads.js'
import { GENDERS } from '../../../domain/user.js'
import { ValidationError } from '../../../domain/errors.js'
import { bearerToken, userAgentOf } from '../authentication.js'
import { pickLanguage, preferredLanguage } from '../language.js'
import { InterestJson, MemberJson, ProfessionJson, interestJson, memberJson, professionJson } from './member-json.js'
import { DetailBody } from '../schemas/common.js'
import { literals } from '../schemas/literals.js'
import {
  EXAMPLE_ACCESS,
  EXAMPLE_INTEREST,
  EXAMPLE_MEMBER,
  EXAMPLE_PROFESSION,
  EXAMPLE_REFRESH,
  EXAMPLE_REGISTRATION,
  withExample
} from '../schemas/examples.js'
import { BEARER, OPTIONAL_REFRESH_BEARER, PUBLIC } from '../schemas/openapi-document.js'
import { IDENTITY_REFUSALS, VerificationId } from './identity-schemas.js'
import { SignInWith, providerToken } from './linked-sign-in-routes.js'
import { BODY_REFUSALS, TOKEN_REFUSALS, errorResponses, invalidFields } from '../schemas/openapi-errors.js'

const ShortUuid = Type.String({ maxLength: 22 })
const Session = withExample(Type.Object({ access: Type.String(), refresh: Type.String(), user: MemberJson }), {
  access: EXAMPLE_ACCESS,
  refresh: EXAMPLE_REFRESH,
  user: EXAMPLE_MEMBER
})
const Pair = withExample(Type.Object({ access: Type.String(), refresh: Type.String() }), {
  access: EXAMPLE_ACCESS,
  refresh: EXAMPLE_REFRESH
})
const detail = (text: string) => withExample(DetailBody, { detail: text })
const LOGIN_REFUSALS = [
  invalidFields({ mobile: ['invalid_phone'] }),
  ...BODY_REFUSALS,
  'member_not_found',
  'member_pending',
  'member_rejected',
  'throttled',
  'service_unavailable'
] as const
const Text = (maxLength: number) => Type.String({ maxLength })
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]))

/** The phone door, DRF style (trailing slashes, `{"detail", "code"}` and field errors). */
export const phoneRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases, mediaBaseUrl: string }> = async (
  app,
  { useCases, mediaBaseUrl }
) => {
  const tags = ['phone door']

  app.get(
    '/api/interests/',
    {
      schema: {
        tags,
        operationId: 'listInterests',
        summary: 'The interests catalog',
        security: PUBLIC,
        response: {
          200: withExample(Type.Array(InterestJson), [EXAMPLE_INTEREST]),
          ...errorResponses('api', 'service_unavailable')
        }
      }
    },
    async () => (await useCases.listCatalog('interest')).map(item => interestJson(mediaBaseUrl, item))
  )

  app.get(
    '/api/professions/',
    {
      schema: {
        tags,
        operationId: 'listProfessions',
        summary: 'The professions catalog',
        security: PUBLIC,
        response: {
          200: withExample(Type.Array(ProfessionJson), [EXAMPLE_PROFESSION]),
          ...errorResponses('api', 'service_unavailable')
        }
      }
    },
    async () => (await useCases.listCatalog('profession')).map(professionJson)
  )

  app.post(
    '/api/sign-s3/',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'signUpload',
        summary: 'A presigned POST for one photo or verification file; upload it, then send `key` at sign-up',
        security: PUBLIC,
        body: withExample(Type.Object({ kind: Type.Union(literals(UPLOAD_KINDS)), content_type: Text(100) }), {
          kind: 'profile',
          content_type: 'image/jpeg'
        }),
        response: {
          200: withExample(
            Type.Object({
              url: Type.String(),
              fields: Type.Record(Type.String(), Type.String()),
              key: Type.String(),
              expires_in: Type.Integer()
            }),
            {
              url: 'https://bucket.s3.ap-northeast-2.amazonaws.com/',
              fields: {
                key: 'images/users/profiles/rVvDZa9Mk28f58ch2AXuNt.jpeg',
                'Content-Type': 'image/jpeg',
                Policy: 'eyJleHBpcmF0aW9uIjoi...',
                'X-Amz-Signature': '5f1d0c9e...'
              },
              key: 'images/users/profiles/rVvDZa9Mk28f58ch2AXuNt.jpeg',
              expires_in: 600
            }
          ),
          ...errorResponses(
            'api',
            invalidFields({ kind: ['invalid_choice'] }),
            ...BODY_REFUSALS,
            'throttled',
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      const form = await useCases.presignUpload({ kind: request.body.kind, contentType: request.body.content_type })
      return { url: form.url, fields: form.fields, key: form.key, expires_in: form.expiresIn }
    }
  )

  app.post(
    '/api/registration/',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'registerWithPhone',
        summary: 'Sign up with a profile; the member starts pending',
        security: PUBLIC,
        body: withExample(
          Type.Object({
            mobile: Text(64),
            username: Text(150),
            name: Text(100),
            birth: Text(10),
            gender: Type.Union(literals(GENDERS)),
            carrier: OptionalText(50),
            foreigner: Type.Optional(Type.Boolean()),
            interests: Type.Optional(Type.Array(ShortUuid, { maxItems: 50 })),
            profession: Type.Optional(Type.Union([ShortUuid, Type.Null()])),
            avatar: OptionalText(300),
            profile: OptionalText(300),
            unique_in_site: OptionalText(200),
            unique_key: OptionalText(200),
            identity_verification_id: VerificationId,
            sign_in_with: Type.Optional(SignInWith),
            verification_files: Type.Optional(
              Type.Array(
                Type.Object({ display_order: Type.Integer({ minimum: 0, maximum: 1000 }), original: Text(300) }),
                { maxItems: 20 }
              )
            )
          }),
          EXAMPLE_REGISTRATION
        ),
        response: {
          201: Session,
          ...errorResponses(
            'api',
            invalidFields({ username: ['username_taken'], name: ['identity_mismatch'], ...IDENTITY_REFUSALS }),
            ...BODY_REFUSALS,
            'throttled',
            'identity_unavailable',
            'invalid_id_token',
            'identity_linked_elsewhere',
            'provider_unavailable',
            'service_unavailable'
          )
        }
      }
    },
    async (request, reply) => {
      const { body } = request
      // The phone door's names onto the core's; absent optional fields are the core's defaults.
      const { access, refresh, member } = await useCases.registerWithPhone({
        mobile: body.mobile,
        username: body.username,
        name: body.name,
        birth: body.birth,
        gender: body.gender,
        carrier: body.carrier ?? null,
        foreigner: body.foreigner ?? false,
        interests: body.interests ?? [],
        profession: body.profession ?? null,
        avatar: body.avatar ?? null,
        profile: body.profile ?? null,
        uniqueInSite: body.unique_in_site ?? null,
        uniqueKey: body.unique_key ?? null,
        identityVerificationId: body.identity_verification_id ?? null,
        providerToken: body.sign_in_with === undefined
          ? null
          : providerToken(body.sign_in_with.provider, body.sign_in_with),
        verificationFiles: (body.verification_files ?? []).map(file => ({
          displayOrder: file.display_order,
          key: file.original
        })),
        language: pickLanguage(request.headers['accept-language']),
        client: request.ip,
        userAgent: userAgentOf(request)
      })
      reply.code(201)
      return { access, refresh, user: memberJson(mediaBaseUrl, member) }
    }
  )

  app.post(
    '/api/auth/mobile/',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'requestLoginCode',
        summary: 'Login step 1: text a 6-digit code to a member',
        security: PUBLIC,
        body: withExample(Type.Object({ mobile: Text(64) }), { mobile: '+821012345678' }),
        response: {
          200: detail('We texted you a login code.'),
          ...errorResponses('api', ...LOGIN_REFUSALS, 'otp_resend_too_soon', 'sms_unavailable')
        }
      }
    },
    async request => {
      await useCases.requestOtp({ mobile: request.body.mobile, client: request.ip })
      return { detail: 'We texted you a login code.' }
    }
  )

  app.post(
    '/api/token/',
    {
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'loginWithCode',
        summary: 'Login step 2: trade the code for tokens',
        security: PUBLIC,
        body: withExample(Type.Object({ mobile: Text(64), token: Text(16) }), {
          mobile: '+821012345678',
          token: '631321'
        }),
        response: {
          200: Session,
          ...errorResponses('api', ...LOGIN_REFUSALS, 'invalid_otp', 'otp_expired', 'otp_attempts_exceeded')
        }
      }
    },
    async request => {
      const language = preferredLanguage(request.headers['accept-language'])
      const { access, refresh, member } = await useCases.verifyOtp({
        mobile: request.body.mobile,
        code: request.body.token,
        client: request.ip,
        language,
        userAgent: userAgentOf(request)
      })
      return { access, refresh, user: memberJson(mediaBaseUrl, member) }
    }
  )

  app.post(
    '/api/token/refresh/',
    {
      config: { limit: { exempt: 'needs a signed refresh token; nothing to guess' } },
      schema: {
        tags,
        operationId: 'refreshTokens',
        summary: 'Rotate: a new access + refresh pair; the old refresh token is spent',
        security: PUBLIC,
        body: withExample(Type.Object({ refresh: Text(4096) }), { refresh: EXAMPLE_REFRESH }),
        response: {
          200: Pair,
          ...errorResponses(
            'api',
            invalidFields({ refresh: ['required'] }),
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'member_rejected',
            'service_unavailable'
          )
        }
      }
    },
    async request => useCases.refreshSession(request.body.refresh, request.ip)
  )

  app.post(
    '/api/logout/',
    {
      config: { limit: { exempt: 'needs a signed refresh token; nothing to guess' } },
      schema: {
        tags,
        operationId: 'logoutRefresh',
        summary: 'Blacklist the refresh token',
        description:
          'The refresh token comes in the body, or as `Authorization: Bearer <refresh>` with no body. The access ' +
            'token stays valid until it expires.',
        security: OPTIONAL_REFRESH_BEARER,
        'x-body-optional': true,
        body: withExample(Type.Object({ refresh: Type.Optional(Text(4096)) }), { refresh: EXAMPLE_REFRESH }),
        response: {
          200: detail('Successfully logged out.'),
          ...errorResponses(
            'api',
            invalidFields({ refresh: ['required'] }),
            ...BODY_REFUSALS,
            'token_expired',
            'invalid_token',
            'service_unavailable'
          )
        }
      },
      // The phone app's API document asks for the refresh token "in the header" and shows it in the body: both work. No
      // body at all becomes an empty object, so the header alone passes validation.
      preValidation: async request => {
        request.body ??= {}
      }
    },
    async request => {
      const refresh = request.body.refresh ?? bearerToken(request)
      if (refresh === null) throw ValidationError.of('refresh', 'required')
      await useCases.logoutRefresh({ refresh, client: request.ip })
      return { detail: 'Successfully logged out.' }
    }
  )

  // Authenticates itself: the member is read in parallel with the revocation check (getMe).
  app.get(
    '/api/users/me/',
    {
      schema: {
        tags,
        operationId: 'getMe',
        summary: "The caller's own user object",
        security: BEARER,
        response: {
          200: withExample(MemberJson, EXAMPLE_MEMBER),
          ...errorResponses('api', ...TOKEN_REFUSALS, 'service_unavailable')
        }
      }
    },
    async request => memberJson(mediaBaseUrl, await useCases.getMe(bearerToken(request)))
  )
}
