import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UseCases } from '../../application/make-use-cases.js'
import { GENDERS } from '../../domain/user.js'
import { ValidationError } from '../../domain/errors.js'
import { bearerToken, principalOf, requireUser } from './authentication.js'
import { InterestJson, MemberJson, ProfessionJson, interestJson, memberJson, professionJson } from './member-json.js'
import { ApiErrorBody, BearerSecurity, DetailBody, errorResponses } from './schemas/common.js'

const ShortUuid = Type.String({ maxLength: 22 })
const Session = Type.Object({ access: Type.String(), refresh: Type.String(), user: MemberJson })
const Pair = Type.Object({ access: Type.String(), refresh: Type.String() })
const Text = (maxLength: number) => Type.String({ maxLength })
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]))

/** Seed 1: the phone door, DRF style (trailing slashes, `{"detail", "code"}` and field errors). */
export const phoneRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases, mediaBaseUrl: string }> = async (app, { useCases, mediaBaseUrl }) => {
  const tags = ['phone door']

  app.get('/api/interests/', {
    schema: { tags, summary: 'The interests catalog', response: { 200: Type.Array(InterestJson), ...errorResponses(ApiErrorBody, 503) } }
  }, async () => (await useCases.listCatalog('interest')).map((item) => interestJson(mediaBaseUrl, item)))

  app.get('/api/professions/', {
    schema: { tags, summary: 'The professions catalog', response: { 200: Type.Array(ProfessionJson), ...errorResponses(ApiErrorBody, 503) } }
  }, async () => (await useCases.listCatalog('profession')).map(professionJson))

  app.post('/api/sign-s3/', {
    schema: {
      tags,
      summary: 'A presigned POST for one photo or verification file; upload it, then send `key` at sign-up',
      body: Type.Object({ kind: Text(20), content_type: Text(100) }),
      response: {
        200: Type.Object({ url: Type.String(), fields: Type.Record(Type.String(), Type.String()), key: Type.String(), expires_in: Type.Integer() }),
        ...errorResponses(ApiErrorBody, 400, 429, 503)
      }
    }
  }, async (request) => {
    const form = await useCases.presignUpload({ kind: request.body.kind, contentType: request.body.content_type })
    return { url: form.url, fields: form.fields, key: form.key, expires_in: form.expiresIn }
  })

  app.post('/api/registration/', {
    schema: {
      tags,
      summary: 'Sign up with a profile; the member starts pending',
      body: Type.Object({
        mobile: Text(64),
        username: Text(150),
        name: Text(100),
        birth: Text(10),
        gender: Type.Union(GENDERS.map((gender) => Type.Literal(gender))),
        carrier: OptionalText(50),
        foreigner: Type.Optional(Type.Boolean()),
        interests: Type.Optional(Type.Array(ShortUuid, { maxItems: 50 })),
        profession: Type.Optional(Type.Union([ShortUuid, Type.Null()])),
        avatar: OptionalText(300),
        profile: OptionalText(300),
        unique_in_site: OptionalText(200),
        unique_key: OptionalText(200),
        verification_files: Type.Optional(Type.Array(Type.Object({ display_order: Type.Integer({ minimum: 0, maximum: 1000 }), original: Text(300) }), { maxItems: 20 }))
      }),
      response: { 201: Session, ...errorResponses(ApiErrorBody, 400, 429, 503) }
    }
  }, async (request, reply) => {
    const { access, refresh, member } = await useCases.registerWithPhone(request.body)
    reply.code(201)
    return { access, refresh, user: memberJson(mediaBaseUrl, member) }
  })

  app.post('/api/auth/mobile/', {
    schema: {
      tags,
      summary: 'Login step 1: text a 6-digit code to a member',
      body: Type.Object({ mobile: Text(64) }),
      response: { 200: DetailBody, ...errorResponses(ApiErrorBody, 400, 403, 404, 406, 429, 503) }
    }
  }, async (request) => {
    await useCases.requestOtp(request.body)
    return { detail: 'We texted you a login code.' }
  })

  app.post('/api/token/', {
    schema: {
      tags,
      summary: 'Login step 2: trade the code for tokens',
      body: Type.Object({ mobile: Text(64), token: Text(16) }),
      response: { 200: Session, ...errorResponses(ApiErrorBody, 400, 401, 403, 404, 406, 429, 503) }
    }
  }, async (request) => {
    const { access, refresh, member } = await useCases.verifyOtp(request.body)
    return { access, refresh, user: memberJson(mediaBaseUrl, member) }
  })

  app.post('/api/token/refresh/', {
    schema: {
      tags,
      summary: 'Rotate: a new access + refresh pair; the old refresh token is spent',
      body: Type.Object({ refresh: Text(4096) }),
      response: { 200: Pair, ...errorResponses(ApiErrorBody, 400, 401, 403, 503) }
    }
  }, async (request) => useCases.refreshSession(request.body.refresh))

  app.post('/api/logout/', {
    schema: {
      tags,
      summary: 'Blacklist the refresh token',
      body: Type.Object({ refresh: Type.Optional(Text(4096)) }),
      response: { 200: DetailBody, ...errorResponses(ApiErrorBody, 400, 401, 503) }
    },
    // The seed asks for the refresh token "in the header" and shows it in the body: both work. No
    // body at all becomes an empty object, so the header alone passes validation.
    preValidation: async (request) => { request.body ??= {} }
  }, async (request) => {
    const refresh = request.body.refresh ?? bearerToken(request)
    if (refresh === null) throw ValidationError.of('refresh', 'required')
    await useCases.logoutRefresh(refresh)
    return { detail: 'Successfully logged out.' }
  })

  app.get('/api/users/me/', {
    preHandler: requireUser(useCases.authenticate),
    schema: { tags, summary: "The caller's own user object", security: BearerSecurity, response: { 200: MemberJson, ...errorResponses(ApiErrorBody, 401, 503) } }
  }, async (request) => memberJson(mediaBaseUrl, await useCases.getMe(principalOf(request))))
}
