import { PassThrough } from 'node:stream'
import t from 'tap'
import { createLogger } from '../../src/adapters/system/create-logger.js'

function capture () {
  const stream = new PassThrough()
  const lines: Array<Record<string, unknown>> = []
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk
      .toString()
      .split('\n')
      .filter(text => text !== '')) { lines.push(JSON.parse(line) as Record<string, unknown>) }
  })
  return { logger: createLogger('info', stream), lines }
}

t.test('codes, passwords and tokens are redacted', async (t) => {
  const { logger, lines } = capture()
  logger.info(
    {
      code: '123456',
      otp: '654321',
      password: 'hunter22',
      token: 'eyJ.x.y',
      body: { code: '111111' },
      input: { code: '222222', refresh: 'eyJ.r' },
      req: { headers: { authorization: 'Bearer eyJ' } }
    },
    'line'
  )
  await new Promise((resolve) => setImmediate(resolve))
  const text = JSON.stringify(lines[0])
  for (const secret of ['123456', '654321', 'hunter22', 'eyJ.x.y', '111111', '222222', 'eyJ.r', 'Bearer eyJ']) {
    t.notMatch(text, secret, `${secret} never appears`)
  }
})

t.test("an error's code survives: ECONNREFUSED and SQLSTATEs stay readable", async (t) => {
  const { logger, lines } = capture()
  logger.error({ err: { type: 'Error', code: 'ECONNREFUSED', message: 'connect failed' } }, 'a')
  logger.error({ event: 'database.failed', cause: { code: '22021' } }, 'b')
  await new Promise((resolve) => setImmediate(resolve))
  t.equal((lines[0]?.err as { code: string }).code, 'ECONNREFUSED')
  t.equal((lines[1]?.cause as { code: string }).code, '22021')
})
