import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

/**
 * `GET /metrics` on a port of its own (`METRICS_PORT`), so an Ingress or load balancer that
 * routes to the API port can never expose it. Nothing else is served there.
 */
export async function startMetricsServer ({
  registry,
  host,
  port
}: {
  registry: Registry
  host: string
  port: number
}): Promise<{ server: Server, address: AddressInfo }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    registry.metrics().then(
      text => {
        response.writeHead(200, { 'content-type': registry.contentType }).end(text)
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n')
      }
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return { server, address: server.address() as AddressInfo }
}
