import { Type, type TSchema } from '@sinclair/typebox'

// Error bodies are loose on purpose: a strict response schema that did not match an error body
// would turn a 4xx into a serializer 500. The shapes are documented for /docs.
export const AuthErrorBody = Type.Object({}, {
  additionalProperties: true,
  description: 'Seed 2 envelope: {"code", "message", "detail"}',
  examples: [{ code: 'INVALID_TOKEN', message: '유효하지 않은 토큰입니다', detail: 'Could not validate credentials' }]
})

export const ApiErrorBody = Type.Object({}, {
  additionalProperties: true,
  description: 'DRF style: {"detail", "code"}, or field errors {"<field>": ["<message>"]} with 400',
  examples: [{ detail: '승인 대기중인 회원입니다.', code: '1006' }, { username: ['해당 사용자 이름은 이미 존재합니다.'] }]
})

export const MessageBody = Type.Object({ message: Type.String() })
export const DetailBody = Type.Object({ detail: Type.String() })

/** Response schemas for the given error statuses of one door. */
export function errorResponses (body: TSchema, ...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, body]))
}

export const BearerSecurity = [{ bearer: [] }]
