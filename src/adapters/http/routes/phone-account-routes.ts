import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UseCases } from '../../../application/make-use-cases.js'
import { principalOf, requireUser } from '../authentication.js'
import { MemberJson, memberJson } from './member-json.js'
import { IDENTITY_REFUSALS, VerificationId } from './identity-schemas.js'
import { DetailBody } from '../schemas/common.js'
import { EXAMPLE_MEMBER, withExample } from '../schemas/examples.js'
import { BEARER, PUBLIC } from '../schemas/openapi-document.js'
import { BODY_REFUSALS, TOKEN_REFUSALS, errorResponses, invalidFields } from '../schemas/openapi-errors.js'

/** The phone door's self-service: add or change the member's number (the phone app's error format). */
export const phoneAccountRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases, mediaBaseUrl: string }> = async (
  app,
  { useCases, mediaBaseUrl }
) => {
  const authenticated = { preHandler: requireUser(useCases.authenticate) }
  const tags = ['phone door: self-service']
  const Mobile = Type.String({ maxLength: 64 })
  // A member who has a password may give it instead of signing in again (recent-sign-in.ts).
  const Password = Type.Optional(
    Type.String({
      maxLength: 1024,
      description:
        'The current password: needed only when the sign-in is 10 minutes old or more, for a member who has one'
    })
  )
  const UNDONE = 'The change was undone and every device signed out.'

  app.post(
    '/api/users/me/mobile/',
    {
      ...authenticated,
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'requestMobileChange',
        summary:
          'Text a code to the number to add or move to (within 10 minutes of a sign-in, or with the current password)',
        security: BEARER,
        body: withExample(Type.Object({ mobile: Mobile, password: Password }), { mobile: '+821098765432' }),
        response: {
          200: withExample(DetailBody, { detail: 'We texted a code to the new number.' }),
          ...errorResponses(
            'api',
            invalidFields({ mobile: ['mobile_taken'] }),
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'email_not_verified',
            'reauthentication_required',
            'invalid_credentials',
            'otp_resend_too_soon',
            'throttled',
            'sms_unavailable',
            'service_unavailable'
          )
        }
      }
    },
    async request => {
      await useCases.changeMobile.request(principalOf(request), {
        mobile: request.body.mobile,
        password: request.body.password,
        client: request.ip
      })
      return { detail: 'We texted a code to the new number.' }
    }
  )

  app.post(
    '/api/users/me/mobile/verify/',
    {
      ...authenticated,
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'verifyMobileChange',
        summary: "Prove the number with the texted code; it becomes the member's sign-in number",
        security: BEARER,
        body: withExample(Type.Object({ mobile: Mobile, token: Type.String({ maxLength: 16 }), password: Password }), {
          mobile: '+821098765432',
          token: '631321'
        }),
        response: {
          200: withExample(MemberJson, EXAMPLE_MEMBER),
          ...errorResponses(
            'api',
            invalidFields({ mobile: ['mobile_taken'] }),
            'invalid_otp',
            'otp_expired',
            'otp_attempts_exceeded',
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'email_not_verified',
            'reauthentication_required',
            'invalid_credentials',
            'throttled',
            'service_unavailable'
          )
        }
      }
    },
    async request =>
      memberJson(
        mediaBaseUrl,
        await useCases.changeMobile.verify(principalOf(request), {
          mobile: request.body.mobile,
          code: request.body.token,
          password: request.body.password,
          client: request.ip
        })
      )
  )

  app.post(
    '/api/users/me/identity/',
    {
      ...authenticated,
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'confirmIdentity',
        summary:
          "Attach a completed PortOne identity verification to the member's profile (it must agree with the profile)",
        description:
          'The server reads the verification from PortOne: its name, birth date, gender, carrier and foreigner flag ' +
          "must agree with the profile, its phone number must be the member's, and its id must be unused. Sending " +
          'the id already attached answers again as the first time. 404 while IDENTITY_VERIFICATION is off.',
        security: BEARER,
        body: withExample(Type.Object({ identity_verification_id: Type.Exclude(VerificationId, Type.Null()) }), {
          identity_verification_id: 'identity-verification-0193b4a8'
        }),
        response: {
          200: withExample(MemberJson, EXAMPLE_MEMBER),
          ...errorResponses(
            'api',
            invalidFields({ ...IDENTITY_REFUSALS, name: ['identity_mismatch'] }),
            ...BODY_REFUSALS,
            ...TOKEN_REFUSALS,
            'not_found',
            'throttled',
            'identity_unavailable',
            'service_unavailable'
          )
        }
      }
    },
    async request =>
      memberJson(
        mediaBaseUrl,
        await useCases.confirmMemberIdentity(principalOf(request), {
          verificationId: request.body.identity_verification_id,
          client: request.ip
        })
      )
  )

  app.post(
    '/api/account/undo/',
    {
      // No token: whoever made the change may hold every token there is. The code is the proof.
      config: { limit: 'perAddress' },
      schema: {
        tags,
        operationId: 'undoSignInChangePhoneDoor',
        summary:
          'Undo a change of number or email with the code the old one was sent: it comes back, every session ends',
        security: PUBLIC,
        body: withExample(Type.Object({ code: Type.String({ maxLength: 32 }) }), { code: '7KQ2M-9XH4T' }),
        response: {
          200: withExample(DetailBody, { detail: UNDONE }),
          ...errorResponses(
            'api',
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
      return { detail: UNDONE }
    }
  )
}
