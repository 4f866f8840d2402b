import closeWithGrace from 'close-with-grace'
import { makeUseCases } from './application/make-use-cases.js'
import { createAdapters } from './adapters/create-adapters.js'
import { ConfigError, loadConfig } from './adapters/config/load-config.js'
import { buildApp } from './adapters/http/build-app.js'

// The composition root: configuration -> adapters -> use-cases -> HTTP -> listen.
let config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(error.message + '\n')
  process.exit(78) // EX_CONFIG
}

const adapters = await createAdapters(config)
const app = await buildApp({
  useCases: makeUseCases(adapters, { tokens: config.tokens }),
  settings: config,
  readiness: adapters.readiness
})
for (const notice of adapters.notices) app.log.warn({ event: 'embedded.default' }, notice)

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  await app.close()
  await adapters.close()
})

await app.listen({ host: config.host, port: config.port })
