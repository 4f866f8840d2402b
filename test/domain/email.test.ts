import fc from 'fast-check'
import t from 'tap'
import { parseEmail, parseNewEmail } from '../../src/domain/email.js'
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
  const hidden = [
    '\u200b',
    '\u200c',
    '\u200d',
    '\u200e',
    '\u200f',
    '\u2060',
    '\u2061',
    '\u2064',
    '\ufeff',
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u00ad',
    '\u3164',
    '\uffa0',
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\u0085',
    '\ud800'
  ]
  for (const character of hidden) {
    for (const email of [
      `us${character}er@example.com`,
      `user@exa${character}mple.com`,
      `${character}user@example.com`,
      `user@example.com${character}`
    ]) {
      t.same(
        issueOf(() => parseEmail(email)),
        { email: ['invalid_email'] },
        JSON.stringify(email)
      )
    }
  }
})

t.test('domains a URL parser would rewrite into another address are refused', async (t) => {
  for (const email of [
    'user@ex%41mple.com',
    'user@0x7f.1',
    'user@127.0.0.1',
    'user@1.2.3.4',
    'user@exa<mple.com',
    'user@exa mple.com'
  ]) {
    t.same(
      issueOf(() => parseEmail(email, 'username')),
      { username: ['invalid_email'] },
      email
    )
  }
})

t.test('blank, too long and malformed, as before', async (t) => {
  t.same(issueOf(() => parseEmail('   ')), { email: ['blank'] })
  t.same(issueOf(() => parseEmail(`${'a'.repeat(250)}@example.com`)), { email: ['too_long'] })
  t.same(issueOf(() => parseEmail(`${'a'.repeat(100_000)}@example.com`)), { email: ['too_long'] })
  for (const email of [
    'not-an-email',
    'a@b',
    'a@@example.com',
    'a b@example.com',
    '@example.com',
    'user@example.com.'
  ]) {
    t.same(
      issueOf(() => parseEmail(email)),
      { email: ['invalid_email'] },
      email
    )
  }
  // The ASCII form is what counts toward the limit: a short Unicode domain can be a long one.
  const hangul = '가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초'
  const unicode = `${'a'.repeat(150)}@${hangul}.kr`
  t.ok(unicode.length < 254)
  t.same(issueOf(() => parseEmail(unicode)), { email: ['too_long'] })
})

t.test('canonical is a fixed point: parsing a stored email gives it back unchanged', async (t) => {
  fc.assert(
    fc.property(
      fc.string({
        unit: fc.constantFrom(
          'a',
          'Z',
          '0',
          '.',
          '-',
          '_',
          '+',
          'ü',
          'Ü',
          'ß',
          'İ',
          'ﬁ',
          'Ａ',
          '한',
          'ᄒ',
          'ᅡ',
          '\u0308',
          '。',
          '＠'
        ),
        minLength: 1,
        maxLength: 12
      }),
      fc.string({
        unit: fc.constantFrom('a', 'Z', '0', '-', 'ü', 'Ü', 'ß', 'İ', 'ﬁ', 'Ａ', '한', '例', '\u0308'),
        minLength: 1,
        maxLength: 12
      }),
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
        t.equal(
          canonical.slice(canonical.lastIndexOf('@') + 1),
          canonical.slice(canonical.lastIndexOf('@') + 1).replace(/[^\x21-\x7e]/g, ''),
          'an ASCII domain'
        )
      }
    ),
    { seed: 20240611, numRuns: 300 }
  )
})

t.test('a new address that could pass for another is refused; one address per script is not', async (t) => {
  const lookalikes: Array<[string, string]> = [
    ['v\u0456ctim@example.com', 'Cyrillic і among Latin letters'],
    ['V\u0406CTIM@example.com', 'the same typed in capitals'],
    ['\u0455\u0441\u0430m@example.com', 'Cyrillic ѕ, с, а beside a Latin m'],
    ['\u0455\u0441\u0430\u0440@example.com', 'all Cyrillic, every letter drawn like Latin: reads as "scap"'],
    ['\u043e\u0440\u0435\u0441@example.com', 'all Cyrillic, reads as "opec"'],
    ['g\u03bf\u03bfgle@example.com', 'Greek omicrons in a Latin name'],
    ['\u03bf\u03c1\u03bf@example.com', 'all Greek, reads as "opo"'],
    ['\u0570\u0578\u0585@example.com', 'all Armenian, reads as "hno"'],
    ['p\u0251yp\u0251l@example.com', 'Latin alpha for a'],
    ['\u1d04\u1d0f\u1d0f\u029f@example.com', 'Latin small capitals'],
    ['\uabaa\uabaf\uab7a\uab87@example.com', 'Cherokee, a script outside the recommended ones'],
    ['user\u2010name@example.com', 'a Unicode hyphen that reads as -'],
    ['i\u0307lker@example.com', 'i with a dot above reads as i'],
    ['\u0130lker@example.com', 'İ lower-cased is that'],
    ['\u2764@example.com', 'an emoji'],
    ['\ud64d\uae38\ub3d9\u305f\u306a\u304b@example.com', 'Korean and Japanese in one name'],
    ['user@ex\u0430mple.com', 'a Cyrillic а in the domain'],
    ['user@\u0430\u0440\u0440\u04cf\u0435.com', 'an all-Cyrillic domain that reads as apple'],
    ['user@xn--80ak6aa92e.com', 'the same in its punycode form']
  ]
  for (const [email, why] of lookalikes) {
    t.same(issueOf(() => parseNewEmail(email)), { email: ['lookalike_email'] }, why)
  }
  t.same(
    issueOf(() => parseNewEmail('v\u0456ctim@example.com', 'new_email')),
    { new_email: ['lookalike_email'] },
    "the field is the caller's"
  )
  t.same(
    issueOf(() => parseNewEmail('not-an-email')),
    { email: ['invalid_email'] },
    "parseEmail's refusals come first"
  )

  const fine: Array<[string, string]> = [
    ['victim@example.com', 'victim@example.com'],
    ['User.Name+Tag@Example.com', 'user.name+tag@example.com'],
    ['first_last-99@example.com', 'first_last-99@example.com'],
    ['user\u2024name@example.com', 'user.name@example.com'],
    ['jos\u00e9@example.com', 'jos\u00e9@example.com'],
    ['Jose\u0301@example.com', 'jos\u00e9@example.com'],
    ['m\u00fcller@b\u00fccher.de', 'm\u00fcller@xn--bcher-kva.de'],
    ['y\u0131ld\u0131z@example.com', 'y\u0131ld\u0131z@example.com'],
    ['\ud64d\uae38\ub3d9@example.com', '\ud64d\uae38\ub3d9@example.com'],
    ['\ud64d\uae38\ub3d92024@example.com', '\ud64d\uae38\ub3d92024@example.com'],
    ['\ud64d\u5409\u6771@example.com', '\ud64d\u5409\u6771@example.com'],
    ['kim\ud64d\uae38\ub3d9@example.com', 'kim\ud64d\uae38\ub3d9@example.com'],
    ['\u7530\u4e2d\u305f\u306a\u304b@example.jp', '\u7530\u4e2d\u305f\u306a\u304b@example.jp'],
    ['\u0438\u0432\u0430\u043d@example.com', '\u0438\u0432\u0430\u043d@example.com'],
    ['\u03b1\u03b2\u03b3@example.gr', '\u03b1\u03b2\u03b3@example.gr'],
    ['user@\u043f\u043e\u0447\u0442\u0430.\u0440\u0444', 'user@xn--80a1acny.xn--p1ai'],
    ['\ud64d@\u4f8b\u3048.jp', '\ud64d@xn--r8jz45g.jp']
  ]
  for (const [email, canonical] of fine) t.equal(parseNewEmail(email), canonical, email)
})

t.test('a look-alike address stored before the check still parses for login', async (t) => {
  for (const stored of ['v\u0456ctim@example.com', '\u0455\u0441\u0430\u0440@example.com', 'user@xn--80ak6aa92e.com']) {
    t.equal(parseEmail(stored), stored)
    t.throws(() => parseNewEmail(stored), ValidationError)
  }
})

t.test('parseNewEmail accepts nothing parseEmail refuses, and keeps its canonical form', async (t) => {
  fc.assert(
    fc.property(
      fc.string({
        unit: fc.constantFrom(
          'a',
          'Z',
          '0',
          '.',
          '-',
          '+',
          'é',
          'ı',
          '\u0456',
          '\u0430',
          '\u03bf',
          '\u0251',
          '한',
          '吉',
          'た',
          '\u0307',
          '\u2010'
        ),
        minLength: 1,
        maxLength: 10
      }),
      local => {
        const email = `${local}@example.com`
        let strict: string | null = null
        try {
          strict = parseNewEmail(email)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
        }
        if (strict !== null) t.equal(strict, parseEmail(email))
      }
    ),
    { seed: 20240612, numRuns: 300 }
  )
})

t.test('text fields refuse control characters', async (t) => {
  t.equal(requireText('  손흥민 ', 'name', 10), '손흥민')
  for (const control of ['\u0000', '\u0009', '\u000a', '\u001b', '\u007f']) {
    t.same(issueOf(() => requireText(`a${control}b`, 'name', 10)), { name: ['invalid'] }, JSON.stringify(control))
    t.same(issueOf(() => optionalText(`a${control}b`, 'carrier', 10)), { carrier: ['invalid'] })
  }
})
