import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import t from 'tap'
import { fromShortUuid, toShortUuid } from '../../src/domain/short-uuid.js'

// The plain BigInt reading of the same definition: the form is fixed (ids in the apps' hands).
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
function reference (uuid: string): string {
  let value = BigInt('0x' + uuid.replaceAll('-', ''))
  let out = ''
  while (value > 0n) {
    out = ALPHABET[Number(value % 57n)] + out
    value /= 57n
  }
  return out.padStart(22, ALPHABET[0])
}

const uuids = fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }).map((uuid) => uuid.toLowerCase())

t.test('the short form is base 57 of the 128 bits, and reads back', async (t) => {
  fc.assert(
    fc.property(uuids, uuid => toShortUuid(uuid) === reference(uuid) && fromShortUuid(toShortUuid(uuid)) === uuid)
  )
  for (const uuid of [
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000-0000-0000-0000-000000000039',
    randomUUID()
  ]) {
    t.equal(toShortUuid(uuid), reference(uuid), uuid)
    t.equal(fromShortUuid(toShortUuid(uuid)), uuid)
  }
  t.equal(toShortUuid('00000000-0000-0000-0000-000000000000'), '2222222222222222222222')
})

t.test('anything else is no short form', async (t) => {
  t.equal(fromShortUuid('oZ4pGnaUGLuxwUvCRY6cFb'.slice(1)), null, 'too short')
  t.equal(fromShortUuid('oZ4pGnaUGLuxwUvCRY6cFb0'), null, 'too long')
  t.equal(fromShortUuid('0Z4pGnaUGLuxwUvCRY6cFb'), null, '0 is not a digit')
  t.equal(fromShortUuid('ꙮZ4pGnaUGLuxwUvCRY6cFb'), null, 'nor is anything outside ASCII')
  t.equal(fromShortUuid('zzzzzzzzzzzzzzzzzzzzzz'), null, 'past 2^128 - 1')
  t.equal(
    fromShortUuid(toShortUuid('ffffffff-ffff-ffff-ffff-ffffffffffff')),
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'the largest reads back'
  )
  t.throws(() => toShortUuid('A0000000-0000-0000-0000-000000000000'), 'upper case is not a stored id')
  fc.assert(fc.property(fc.string({ minLength: 22, maxLength: 22 }), (text) => {
    const uuid = fromShortUuid(text)
    return uuid === null || toShortUuid(uuid) === text
  }))
})
