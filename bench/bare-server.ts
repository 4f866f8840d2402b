import Fastify from 'fastify'

// The ceiling: one JSON route on a default Fastify, no plugins. Prints its port on stdout.
const app = Fastify({ logger: false })
app.get('/', async () => ({ ok: true }))
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.stdout.write(
  JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 }) + '\n'
)
// eslint-disable-next-line no-void -- the close runs on its own; the handler does not wait for it
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
