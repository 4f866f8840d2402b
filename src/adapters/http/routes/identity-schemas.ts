import { Type } from '@fastify/type-provider-typebox'
import type { FieldProblems } from '../errors/error-reply.js'

/** A PortOne identity verification's id, as the phone app sends it (absent or null: none). */
export const VerificationId = Type.Optional(
  Type.Union([
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The id of a completed PortOne identity verification (본인인증); the server reads its record'
    }),
    Type.Null()
  ])
)

/** How a verification id is refused, as the routes that take one document it. */
export const IDENTITY_REFUSALS: FieldProblems = {
  identity_verification_id: ['identity_not_found', 'identity_not_verified', 'identity_expired', 'identity_used'],
  mobile: ['identity_mismatch']
}
