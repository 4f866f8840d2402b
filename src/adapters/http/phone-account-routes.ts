import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UseCases } from '../../application/make-use-cases.js'
import { principalOf, requireUser } from './authentication.js'
import { MemberJson, memberJson } from './member-json.js'
import { DetailBody } from './schemas/common.js'
import { EXAMPLE_MEMBER, withExample } from './schemas/examples.js'
import { BEARER } from './schemas/openapi-document.js'
import { BODY_REFUSALS, TOKEN_REFUSALS, errorResponses, invalidFields } from './schemas/openapi-errors.js'

/** The phone door's self-service: add or change the member's number (seed 1's error format). */
export const phoneAccountRoutes: FastifyPluginAsyncTypebox<{ useCases: UseCases, mediaBaseUrl: string }> = async (app, { useCases, mediaBaseUrl }) => {
  const authenticated = { preHandler: requireUser(useCases.authenticate) }
  const tags = ['phone door: self-service']
  const Mobile = Type.String({ maxLength: 64 })

  app.post('/api/users/me/mobile/', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags,
      operationId: 'requestMobileChange',
      summary: 'Text a code to the number to add or move to',
      security: BEARER,
      body: withExample(Type.Object({ mobile: Mobile }), { mobile: '+821098765432' }),
      response: {
        200: withExample(DetailBody, { detail: 'We texted a code to the new number.' }),
        ...errorResponses('api', invalidFields({ mobile: ['mobile_taken'] }), ...BODY_REFUSALS, ...TOKEN_REFUSALS, 'email_not_verified', 'otp_resend_too_soon', 'throttled', 'sms_unavailable', 'service_unavailable')
      }
    }
  }, async (request) => {
    await useCases.changeMobile.request(principalOf(request), { mobile: request.body.mobile, client: request.ip })
    return { detail: 'We texted a code to the new number.' }
  })

  app.post('/api/users/me/mobile/verify/', {
    ...authenticated,
    config: { limit: 'perAddress' },
    schema: {
      tags,
      operationId: 'verifyMobileChange',
      summary: 'Prove the number with the texted code; it becomes the member\'s sign-in number',
      security: BEARER,
      body: withExample(Type.Object({ mobile: Mobile, token: Type.String({ maxLength: 16 }) }), { mobile: '+821098765432', token: '631321' }),
      response: {
        200: withExample(MemberJson, EXAMPLE_MEMBER),
        ...errorResponses('api', invalidFields({ mobile: ['mobile_taken'] }), 'invalid_otp', 'otp_expired', 'otp_attempts_exceeded', ...BODY_REFUSALS, ...TOKEN_REFUSALS, 'email_not_verified', 'throttled', 'service_unavailable')
      }
    }
  }, async (request) => memberJson(mediaBaseUrl, await useCases.changeMobile.verify(principalOf(request), { mobile: request.body.mobile, code: request.body.token, client: request.ip })))
}
