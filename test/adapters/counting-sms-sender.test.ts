import t from 'tap'
import { countSmsSends } from '../../src/adapters/metrics/counting-sms-sender.js'
import { createMemorySmsSender } from '../fakes/memory-sms-sender.js'
import { SmsUnavailableError } from '../../src/domain/errors.js'
import type { PhoneNumber } from '../../src/domain/user.js'

const PHONE = '+821023456789' as PhoneNumber

t.test('counts a text the provider took as sent, and passes it through', async (t) => {
  const inner = createMemorySmsSender()
  const counted: string[] = []
  await countSmsSends(inner, (result) => counted.push(result)).send(PHONE, 'code 123456')
  t.same(counted, ['sent'])
  t.same(inner.sent, [{ to: PHONE, body: 'code 123456' }])
})

t.test('counts a refused text as failed and rethrows the same error', async (t) => {
  const inner = createMemorySmsSender()
  inner.failing = true
  const counted: string[] = []
  await t.rejects(countSmsSends(inner, result => counted.push(result)).send(PHONE, 'code 123456'), SmsUnavailableError)
  t.same(counted, ['failed'])
})
