import t from 'tap'
import { createLibphonenumberParser } from '../../src/adapters/system/libphonenumber-phone-parser.js'
import { smsUnreachable } from '../../src/application/security/sms-reach.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { freshMobile } from '../helpers/phone-flows.js'

const phones = createLibphonenumberParser('KR')
const parsed = (input: string): PhoneNumber => {
  const phone = phones.parse(input)
  if (phone === null) throw new Error(`not a number: ${input}`)
  return phone
}

t.test('only numbers that can receive a text message', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['010-2312-3456', true], // Korean mobile
    ['+821049991234', true],
    ['011-234-5678', true], // an old Korean mobile prefix, still MOBILE
    ['+447400123456', true], // UK mobile
    ['+12015550123', true], // NANP: landlines and mobiles share ranges (FIXED_LINE_OR_MOBILE)
    ['02-312-3456', false], // Seoul landline
    ['+82516401234', false], // Busan landline
    ['070-1234-5678', false], // Korean VoIP
    ['080-123-4567', false], // toll-free
    ['0505-123-4567', false], // personal (virtual) number
    ['1588-1234', false], // nationwide representative number
    ['+442071234567', false] // London landline
  ]
  for (const [input, textable] of cases) t.equal(phones.canReceiveSms(parsed(input)), textable, input)
})

t.test('the test helpers\' numbers stay valid Korean mobiles', async (t) => {
  for (let i = 0; i < 200; i++) {
    const mobile = freshMobile()
    t.equal(smsUnreachable(phones, ['KR'], parsed(mobile)), null, mobile)
  }
})

t.test('one rule for sign-up and codes: region first, then type', async (t) => {
  t.equal(smsUnreachable(phones, ['KR'], parsed('+447400123456')), 'region_not_allowed')
  t.equal(smsUnreachable(phones, ['KR', 'GB'], parsed('+447400123456')), null)
  t.equal(smsUnreachable(phones, ['KR'], parsed('+442071234567')), 'region_not_allowed')
  t.equal(smsUnreachable(phones, ['KR', 'GB'], parsed('+442071234567')), 'not_mobile')
  t.equal(smsUnreachable(phones, ['KR'], parsed('02-312-3456')), 'not_mobile')
  t.equal(smsUnreachable(phones, [], parsed('010-2312-3456')), 'region_not_allowed')
})

t.test('remembered answers are the answers: the same with a memory of two as with none kept', async (t) => {
  const small = createLibphonenumberParser('KR', { remember: 2 })
  const inputs = [
    '010-2312-3456',
    '+447400123456',
    '02-312-3456',
    'not a number',
    '010-2312-3456',
    '+12015550123',
    '+447400123456',
    '010 2312 3456'
  ]
  for (const round of [1, 2]) {
    for (const input of inputs) {
      const phone = small.parse(input)
      t.equal(phone, phones.parse(input), `round ${round}: ${input}`)
      if (phone !== null) {
        t.same(
          [small.regionOf(phone), small.canReceiveSms(phone)],
          [phones.regionOf(phone), phones.canReceiveSms(phone)]
        )
      }
    }
  }
})

t.test('numbers as people write them: national at home, international abroad', async (t) => {
  t.equal(phones.display(parsed('+821055501234')), '010-5550-1234', 'a Korean mobile')
  t.equal(phones.display(parsed('+8225551234')), '02-555-1234', 'a Seoul landline')
  t.equal(phones.display(parsed('+447400123456')), '+44 7400 123456', 'a UK mobile')
  t.equal(phones.display(parsed('+12015550123')), '+1 201 555 0123', 'a US number')
  const british = createLibphonenumberParser('GB')
  t.equal(british.display(parsed('+447400123456')), '07400 123456', 'home is the default region')
  t.equal(phones.display('+99' as PhoneNumber), '+99', 'what cannot be read stays as stored')
})
