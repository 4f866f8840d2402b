import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendError } from '../errors/error-reply.js'
import { withExample } from '../schemas/examples.js'
import { PUBLIC } from '../schemas/openapi-document.js'
import { errorResponses } from '../schemas/openapi-errors.js'

export const APPLE_APP_SITE_ASSOCIATION_PATH = '/.well-known/apple-app-site-association'
export const ASSET_LINKS_PATH = '/.well-known/assetlinks.json'

/** An hour: Apple's CDN and Google's verifier cache these themselves, and the apps change them rarely. */
const MAX_AGE_SECONDS = 3600

export interface AppAssociation {
  /** `<Team ID>.<bundle id>` of each iOS app that may use this domain's passkeys. */
  appleAppIds: string[]
  /** Each Android app that may, with the SHA-256 fingerprints of its signing certificates (`AB:CD:…`). */
  androidApps: Array<{ packageName: string, fingerprints: string[] }>
}

const AppleAppSiteAssociation = Type.Object({
  webcredentials: Type.Object({
    apps: Type.Array(Type.String({ description: '`<Team ID>.<bundle id>`' }))
  })
})

const AssetLinks = Type.Array(Type.Object({
  relation: Type.Array(Type.String({ description: '`delegate_permission/get_login_creds`' })),
  target: Type.Object({
    namespace: Type.Literal('android_app'),
    package_name: Type.String(),
    sha256_cert_fingerprints: Type.Array(Type.String({ description: 'Colon-separated upper-case hex' }))
  })
}))

/**
 * The files by which the platforms let the apps use this domain's passkeys (the relying party id):
 * Apple's `webcredentials` and Android's Digital Asset Links (`get_login_creds`). A platform
 * none of whose apps is configured has no file: a 404 in the phone door's format.
 */
export const appAssociationRoutes: FastifyPluginAsyncTypebox<AppAssociation> = async (
  app,
  { appleAppIds, androidApps }
) => {
  const tags = ['operations']
  const apple = { webcredentials: { apps: [...appleAppIds] } }
  const android = androidApps.map(({ packageName, fingerprints }) => ({
    relation: ['delegate_permission/get_login_creds'],
    target: {
      namespace: 'android_app' as const,
      package_name: packageName,
      sha256_cert_fingerprints: [...fingerprints]
    }
  }))

  app.get(
    APPLE_APP_SITE_ASSOCIATION_PATH,
    {
      schema: {
        tags,
        operationId: 'getAppleAppSiteAssociation',
        summary: 'The iOS apps that may use passkeys of this domain (Apple app site association)',
        description: 'Fetched by Apple (through its CDN) for an app whose Associated Domains list ' +
          '`webcredentials:<this host>`. 404 when no iOS app is configured.',
        security: PUBLIC,
        response: {
          200: withExample(AppleAppSiteAssociation, { webcredentials: { apps: ['ABCDE12345.com.example.app'] } }),
          ...errorResponses('api', 'not_found')
        }
      }
    },
    async (request, reply) => {
      if (appleAppIds.length === 0) return sendError(request, reply, 'not_found')
      // Apple reads this extension-less file only as application/json.
      reply.type('application/json').header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`)
      return apple
    }
  )

  app.get(
    ASSET_LINKS_PATH,
    {
      schema: {
        tags,
        operationId: 'getAssetLinks',
        summary: 'The Android apps that may use passkeys of this domain (Digital Asset Links)',
        description: 'Fetched by Android\'s Credential Manager for an app that names this host. ' +
          '404 when no Android app is configured.',
        security: PUBLIC,
        response: {
          200: withExample(AssetLinks, [{
            relation: ['delegate_permission/get_login_creds'],
            target: {
              namespace: 'android_app',
              package_name: 'com.example.app',
              sha256_cert_fingerprints: [
                '14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5'
              ]
            }
          }]),
          ...errorResponses('api', 'not_found')
        }
      }
    },
    async (request, reply) => {
      if (android.length === 0) return sendError(request, reply, 'not_found')
      reply.type('application/json').header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`)
      return android
    }
  )
}
