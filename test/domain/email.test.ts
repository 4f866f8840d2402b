import fc from 'fast-check'
import t from 'tap'
import { parseEmail } from '../../src/domain/email.js'
import { ValidationError } from '../../src/domain/errors.js'
import { optionalText, requireText } from '../../src/domain/text-field.js'

const issueOf = (parse: () => unknown) => {
  try {
    parse()
    return null
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    return error.fields
  }
}

t.test('one canonical form: NFKC, lower case, the domain in ASCII (punycode)', async (t) => {
  const same: Array<[string, string]> = [
    ['  New.User@Example.COM ', 'new.user@example.com'],
    ['user@bücher.de', 'user@xn--bcher-kva.de'],
    ['USER@BÜCHER.DE', 'user@xn--bcher-kva.de'],
    ['user@xn--bcher-kva.de', 'user@xn--bcher-kva.de'],
    ['user@XN--BCHER-KVA.DE', 'user@xn--bcher-kva.de'],
    ['ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'user@example.com'],
    ['user@example。com', 'user@example.com'],
    ['user@bu\u0308cher.de', 'user@xn--bcher-kva.de'],
    ['홍길동@例え.jp', '홍길동@xn--r8jz45g.jp'],
    ['홍@example.com', '홍@example.com']
  ]
  for (const [input, canonical] of same) t.equal(parseEmail(input), canonical, JSON.stringify(input))
})

t.test('invisible, bidi and control characters are refused, never dropped', async (t) => {
  const hidden = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2064', '\ufeff',
    '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u00ad', '\u3164', '\uffa0',
    '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\ud800']
  for (const character of hidden) {
    for (const email of [`us${character}er@example.com`, `user@exa${character}mple.com`, `${character}user@example.com`, `user@example.com${character}`]) {
      t.same(issueOf(() => parseEmail(email)), { email: ['invalid_email'] }, JSON.stringify(email))
    }
  }
})

t.test('domains a URL parser would rewrite into another address are refused', async (t) => {
  for (const email of ['user@ex%41mple.com', 'user@0x7f.1', 'user@127.0.0.1', 'user@1.2.3.4', 'user@exa<mple.com', 'user@exa mple.com']) {
    t.same(issueOf(() => parseEmail(email, 'username')), { username: ['invalid_email'] }, email)
  }
})

t.test('blank, too long and malformed, as before', async (t) => {
  t.same(issueOf(() => parseEmail('   ')), { email: ['blank'] })
  t.same(issueOf(() => parseEmail(`${'a'.repeat(250)}@example.com`)), { email: ['too_long'] })
  t.same(issueOf(() => parseEmail(`${'a'.repeat(100_000)}@example.com`)), { email: ['too_long'] })
  for (const email of ['not-an-email', 'a@b', 'a@@example.com', 'a b@example.com', '@example.com', 'user@example.com.']) {
    t.same(issueOf(() => parseEmail(email)), { email: ['invalid_email'] }, email)
  }
  // The ASCII form is what counts toward the limit: a short Unicode domain can be a long one.
  const hangul = '가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초'
  const unicode = `${'a'.repeat(150)}@${hangul}.kr`
  t.ok(unicode.length < 254)
  t.same(issueOf(() => parseEmail(unicode)), { email: ['too_long'] })
})

t.test('canonical is a fixed point: parsing a stored email gives it back unchanged', async (t) => {
  fc.assert(fc.property(
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '-', '_', '+', 'ü', 'Ü', 'ß', 'İ', 'ﬁ', 'Ａ', '한', 'ᄒ', 'ᅡ', '\u0308', '。', '＠'), minLength: 1, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', 'ü', 'Ü', 'ß', 'İ', 'ﬁ', 'Ａ', '한', '例', '\u0308'), minLength: 1, maxLength: 12 }),
    fc.constantFrom('com', 'de', 'ＣＯＭ', '한국', 'xn--3e0b707e'),
    (local, label, tld) => {
      let canonical: string
      try {
        canonical = parseEmail(`${local}@${label}.${tld}`)
      } catch (error) {
        if (error instanceof ValidationError) return
        throw error
      }
      t.equal(parseEmail(canonical), canonical)
      t.notMatch(canonical, /[A-Z]/)
      t.equal(canonical.slice(canonical.lastIndexOf('@') + 1), canonical.slice(canonical.lastIndexOf('@') + 1).replace(/[^\x21-\x7e]/g, ''), 'an ASCII domain')
    }
  ), { seed: 20240611, numRuns: 300 })
})

t.test('text fields refuse control characters', async (t) => {
  t.equal(requireText('  손흥민 ', 'name', 10), '손흥민')
  for (const control of ['\u0000', '\u0009', '\u000a', '\u001b', '\u007f']) {
    t.same(issueOf(() => requireText(`a${control}b`, 'name', 10)), { name: ['invalid'] }, JSON.stringify(control))
    t.same(issueOf(() => optionalText(`a${control}b`, 'carrier', 10)), { carrier: ['invalid'] })
  }
})
