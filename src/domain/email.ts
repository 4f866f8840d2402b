import { domainToASCII, domainToUnicode } from 'node:url'
import { ValidationError } from './errors.js'
import { mayBeReadAsAnother } from './lookalike-text.js'

export type Email = string & { readonly __brand: 'Email' }

// Deliberately plain: one @, a dotted domain, no spaces. RFC 5322 allows far more, but no mail
// provider hands out such addresses and the apps send what the user typed.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/
const MAX_LENGTH = 254
// NFKC can fold a few characters into one (jamo into a syllable), never many: past this the
// canonical form could not fit either, and the work stays bounded whatever a client sends.
const MAX_INPUT_LENGTH = 4 * MAX_LENGTH

/**
 * Characters that show nothing or reorder what is shown: zero-width spaces and joiners, the soft
 * hyphen, word joiners, the BOM, Hangul fillers (Default_Ignorable_Code_Point), the bidi embeddings,
 * overrides and isolates (Bidi_Control), control characters and lone surrogates. Two addresses
 * that differ only by these look identical to a person, so they are refused, never silently dropped.
 */
const HIDDEN = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cc}\p{Cs}]/u

/**
 * One address, one string, so one account: NFKC (fullwidth `ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ` is
 * `user@example.com`), then lower-cased (emails compare case-insensitively, contract), and the
 * domain in its ASCII (punycode) form: `user@bücher.de` is stored as `user@xn--bcher-kva.de`.
 * ASCII rather than Unicode because it is the form DNS and mail servers use, the one an ASCII
 * address already has (every stored email keeps its string), and the form in which two spellings
 * of one IDN (case, width, `。` for `.`) cannot differ. The local part keeps its Unicode letters.
 */
export function parseEmail (input: string, field = 'email'): Email {
  const trimmed = input.trim()
  if (trimmed.length === 0) throw ValidationError.of(field, 'blank')
  if (trimmed.length > MAX_INPUT_LENGTH) throw ValidationError.of(field, 'too_long')
  // Checked before trimming: a BOM or a zero-width space at either end is refused too.
  if (HIDDEN.test(input.normalize('NFKC'))) throw ValidationError.of(field, 'invalid_email')
  // Lower-casing can leave a string that is no longer NFKC (İ becomes i + U+0307): normalise again.
  const folded = trimmed.normalize('NFKC').toLowerCase().normalize('NFKC')
  const at = folded.lastIndexOf('@')
  if (at < 0) throw ValidationError.of(field, 'invalid_email')
  const email = folded.slice(0, at) + '@' + asciiDomain(folded.slice(at + 1), field)
  if (email.length > MAX_LENGTH) throw ValidationError.of(field, 'too_long')
  if (!SHAPE.test(email)) throw ValidationError.of(field, 'invalid_email')
  return email as Email
}

/**
 * parseEmail for an address entering the system (sign-up, an address change, a new staff member):
 * also refused (`lookalike_email`) when it could pass for another member's, as `vіctim@example.com`
 * with a Cyrillic і passes for `victim@example.com` (lookalike-text.ts has the rule). Login, recovery
 * and proof keep parseEmail, so an address stored before this check still signs in. The domain is
 * checked too, label by label in its Unicode form: a look-alike domain (`exаmple.com`, Cyrillic а)
 * is one its registrant receives mail at, so it would even pass verification; DNS and mail read
 * each label on its own, so a label may be Cyrillic beside a Latin one (`почта.example.com`).
 */
export function parseNewEmail (input: string, field = 'email'): Email {
  const email = parseEmail(input, field)
  const at = email.lastIndexOf('@')
  const names = [email.slice(0, at), ...domainToUnicode(email.slice(at + 1)).split('.')]
  if (names.some(mayBeReadAsAnother)) throw ValidationError.of(field, 'lookalike_email')
  return email
}

/** The domain in IDNA's ASCII form; WHATWG's host parser, minus what makes it a URL parser. */
function asciiDomain (domain: string, field: string): string {
  // domainToASCII percent-decodes (`ex%41.com` is `exa.com`) and reads a numeric last label as an
  // IPv4 address (`0x7f.1` is `127.0.0.1`): neither is a mail domain, and each is a second spelling.
  if (domain.includes('%')) throw ValidationError.of(field, 'invalid_email')
  const ascii = domainToASCII(domain)
  const lastLabel = ascii.slice(ascii.lastIndexOf('.') + 1)
  if (ascii === '' || !/^[a-z]/.test(lastLabel)) throw ValidationError.of(field, 'invalid_email')
  return ascii
}
