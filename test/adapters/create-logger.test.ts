import { PassThrough } from 'node:stream'
import t from 'tap'
import { createLogger, prettyStream } from '../../src/adapters/system/create-logger.js'

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

t.test('development lines at a terminal: readable text, still redacted', async (t) => {
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const logger = createLogger('info', await prettyStream(out))
  logger.info({ event: 'service.listening', password: 'hunter22' }, 'listening on http://127.0.0.1:3000')
  t.match(text, /INFO.*: listening on http:\/\/127\.0\.0\.1:3000\n/)
  t.match(text, /event: "service\.listening"/)
  t.throws(() => JSON.parse(text), 'not a JSON line')
  t.notMatch(text, 'hunter22')
  t.match(text, /password: "\[redacted\]"/)
})
