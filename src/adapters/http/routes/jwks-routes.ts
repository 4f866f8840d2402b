import { createHash } from 'node:crypto'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { PublicJwk } from '../../system/signing-keys.js'
import { withExample } from '../schemas/examples.js'
import { PUBLIC } from '../schemas/openapi-document.js'

export const JWKS_PATH = '/.well-known/jwks.json'

/**
 * Five minutes: a key is published for at least one roll-out before it is promoted to sign, so a
 * consumer that refetches this often knows it before the first token under it (docs/operations.md).
 */
export const JWKS_MAX_AGE_SECONDS = 300

const Jwk = Type.Object({
  kty: Type.String({ description: '`OKP`' }),
  crv: Type.String({ description: '`Ed25519`' }),
  x: Type.String({ description: 'The public key (base64url)' }),
  kid: Type.String({ description: 'The `kid` a token header names' }),
  alg: Type.String({ description: '`EdDSA`: the only algorithm a token under this key may use' }),
  use: Type.Literal('sig')
})
const Jwks = Type.Object({ keys: Type.Array(Jwk) })

/**
 * The public halves of the Ed25519 token keys (RFC 7517), so other back ends check tokens
 * alone. Never a private part, never an HS256 secret: a set of HS256 keys publishes `{ keys: [] }`.
 * The document is fixed for the process's life, so its ETag is made once.
 */
export const jwksRoutes: FastifyPluginAsyncTypebox<{ jwks: { keys: PublicJwk[] } }> = async (app, { jwks }) => {
  const etag = `"${createHash('sha256').update(JSON.stringify(jwks)).digest('base64url').slice(0, 22)}"`
  app.get(
    JWKS_PATH,
    {
      schema: {
        tags: ['operations'],
        operationId: 'getJwks',
        summary: 'The public keys that verify access and refresh tokens (JWKS)',
        description:
          'The Ed25519 keys of the set, each with the `kid` tokens name and its one `alg`. ' +
            'Empty when tokens are HS256 (a shared secret is never published). ' +
            `Cacheable for ${JWKS_MAX_AGE_SECONDS} s; refetch when a token names an unknown \`kid\`.`,
        security: PUBLIC,
        response: {
          200: withExample(Jwks, {
            keys: [{
              kty: 'OKP',
              crv: 'Ed25519',
              x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
              kid: 'eddsa-2026-12-07-5f3a9c21',
              alg: 'EdDSA',
              use: 'sig'
            }]
          }),
          304: { type: 'null', description: 'Not Modified: the `If-None-Match` ETag is current' }
        }
      }
    },
    async (request, reply) => {
      reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).header('etag', etag)
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null)
      // Serialised through the schema too: a field it does not name (a private part) could not leave.
      return jwks
    }
  )
}
