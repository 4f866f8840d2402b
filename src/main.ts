import closeWithGrace from 'close-with-grace'
import { buildService } from './adapters/build-service.js'
import { ConfigError, loadConfig, type Config } from './adapters/config/load-config.js'

// The composition root: configuration -> adapters -> use-cases -> HTTP -> listen.
let config: Config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(error.message + '\n')
  process.exit(78) // EX_CONFIG
}

const app = await buildService(config)

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close pools, exit 0.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  await app.close()
})

await app.listen({ host: config.host, port: config.port })
