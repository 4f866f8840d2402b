// When a new name could be read as another one: the mixed-script and whole-script confusable checks
// of UTS #39 (Unicode Security Mechanisms), small enough to keep in the domain. The script data is
// the JavaScript engine's own (Script_Extensions in regular expressions); the letters that look
// Latin are a table below. Not covered: look-alikes inside one writing system other than Latin's
// (katakana カ and Han 力 in a Japanese name), which would need UTS #39's whole confusables table;
// what this answers is a name passing for a Latin one, as nearly every member's address is.

/**
 * The scripts in everyday use (UAX #31 Table 5, "Recommended"). UTS #39's restriction levels take
 * only these: the others (Cherokee, Coptic, Lisu, Deseret, Canadian syllabics, ...) are historic or
 * of small communities, and several have letters drawn like Latin ones, so a name that uses them
 * is refused outright instead of being checked letter by letter.
 */
const RECOMMENDED_SCRIPTS = [
  'Arab',
  'Armn',
  'Beng',
  'Bopo',
  'Cyrl',
  'Deva',
  'Ethi',
  'Geor',
  'Grek',
  'Gujr',
  'Guru',
  'Hang',
  'Hani',
  'Hebr',
  'Hira',
  'Kana',
  'Khmr',
  'Knda',
  'Laoo',
  'Latn',
  'Mlym',
  'Mymr',
  'Orya',
  'Sinh',
  'Taml',
  'Telu',
  'Thaa',
  'Thai',
  'Tibt'
]
const SCRIPT_TESTS = RECOMMENDED_SCRIPTS.map(
  script => [script, new RegExp(`^\\p{Script_Extensions=${script}}$`, 'u')] as const
)

/**
 * Writing systems that mix scripts by design (UTS #39 5.1): Japanese writes Han with both kana,
 * Korean Han with Hangul, Chinese Han with Bopomofo. A Han character counts for all three.
 */
const WRITING_SYSTEMS: Record<string, string[]> = {
  Hani: ['Jpan', 'Kore', 'Hanb'],
  Hira: ['Jpan'],
  Kana: ['Jpan'],
  Hang: ['Kore'],
  Bopo: ['Hanb']
}
const CJK = ['Jpan', 'Kore', 'Hanb']

/**
 * A character of no script (punctuation, symbols, emoji) or one that takes its base's script (most combining marks).
 */
const NO_SCRIPT = /^\p{Script_Extensions=Common}$/u
const BASE_SCRIPT = /^\p{Script_Extensions=Inherited}$/u
/** i, j and the like (Soft_Dotted) lose their dot under a mark above, so a dot above reads as their own. */
const DOUBLE_DOTTED = /\p{Soft_Dotted}\u0307/u

/**
 * Letters of the recommended scripts that Unicode's confusables.txt (17.0) draws as one ASCII letter
 * a-z, after NFKC and lower-casing (what parseEmail leaves): Cyrillic а с е і ј о р ѕ у х ..., Greek
 * α ι ο ρ ν γ ..., Armenian հ ո օ ս ..., Georgian, Hebrew, Arabic, Indic and Southeast Asian zeros
 * and signs, and Latin's own small capitals and IPA letters (ɑ ɡ ᴄ ᴏ ꜱ ...). Written as escapes,
 * since the characters themselves cannot be told apart on review. Two are left out on purpose:
 * Turkish and Azerbaijani ı and Icelandic þ, letters of living alphabets whose difference from i
 * and p shows (the missing dot, the ascender).
 */
const READS_AS: Record<string, string> = {
  a: '\u0251\u03b1\u0430',
  c: '\u1d04\u0441\u1004\u105a',
  d: '\u0501',
  e: '\uab32\u0435\u04bd',
  f: '\uab35\ua799\u0192\u1e9d\u0584',
  g: '\u0261\u1d83\u018d\u0581',
  h: '\u04bb\u0570',
  i: '\u026a\u0269\u03b9\u0456\ua647\u0582',
  j: '\u03f3\u0458',
  l: '\u05c0\u0661\u06f1\u01c0\u04cf\u05d5\u05df\u0627',
  n: '\u0578\u057c',
  o: '\u0c02\u0c82\u0d02\u0d82\u0966\u09e6\u0a66\u0ae6\u0b66\u0be6\u0c66\u0d66\u0e50\u0ed0\u1040\u17e0\u0665\u06f5' +
    '\u1d0f\u1d11\uab3d\u03bf\u03c3\u043e\u10ff\u0585\u05e1\u0647\u06be\u06c1\u06d5\u0d20\u101d',
  p: '\u01bf\u03c1\u03f8\u0440',
  q: '\u051b\u0563\u0566',
  r: '\uab47\uab48\u1d26\u0433',
  s: '\ua731\u01bd\u0455\u0d1f',
  u: '\ua79f\u1d1c\uab4e\uab52\u028b\u03c5\u057d',
  v: '\u1d20\u03bd\u0475\u05d8',
  w: '\u026f\u1d21\u0461\u0448\u051d\u0561',
  x: '\u0445',
  y: '\u0263\u1d8c\u028f\u1eff\uab5a\u03b3\u0443\u04af\u10e7',
  z: '\u1d22'
}
const LATIN_LOOKALIKES = new Map(
  Object.entries(READS_AS).flatMap(([latin, characters]) =>
    [...characters].map(character => [character, latin] as const)
  )
)

/**
 * Whether `text` (NFKC, lower case) could be read as another text a person may also register:
 * - it holds a character beyond ASCII of no script (a dash, dot, quote or bar that reads as an
 *   ASCII one, a symbol, an emoji) or of a script outside the recommended ones;
 * - its letters mix scripts (`vіctim` with Cyrillic і), beyond what UTS #39's "highly restrictive"
 *   level allows (ICU's default): one script, or Latin with Han and kana, Han and Hangul, or Han
 *   and Bopomofo. Digits and ASCII punctuation belong to every script;
 * - its Latin-looking letters, read as the Latin letters they look like, give another text that
 *   passes these checks: all-Cyrillic `ѕсаm` reads as `scam`, Latin `pɑypɑl` as `paypal`. Cyrillic
 *   `иван` stays allowed: read so it becomes `ивaн`, which mixes scripts and nobody could register;
 * - it holds i or j with a combining dot above, which replaces their own dot when drawn: `i̇lker`
 *   (what lower-casing makes of a typed `İlker`) shows as `ilker`.
 * ASCII text is never refused: its look-alikes (`0` and `o`, `rn` and `m`) are ordinary mail's too.
 */
export function mayBeReadAsAnother (text: string): boolean {
  // eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
  if (!/[^\x00-\x7f]/.test(text)) return false
  if (DOUBLE_DOTTED.test(text)) return true
  const scripts = scriptSets(text)
  if (scripts === null || !highlyRestrictive(scripts)) return true
  const twin = [...text].map((character) => LATIN_LOOKALIKES.get(character) ?? character).join('')
  if (twin === text) return false
  const twinScripts = scriptSets(twin)
  return twinScripts !== null && highlyRestrictive(twinScripts)
}

/**
 * Per character that has a script, the scripts and writing systems it can be written in; null when one has no
 * recommended script.
 */
function scriptSets (text: string): Array<Set<string>> | null {
  const sets: Array<Set<string>> = []
  for (const character of text) {
    if (character < '\x80') {
      if (/[a-z]/i.test(character)) sets.push(new Set(['Latn']))
      continue
    }
    if (NO_SCRIPT.test(character)) return null
    if (BASE_SCRIPT.test(character)) continue
    const scripts = new Set(
      SCRIPT_TESTS.filter(([, test]) => test.test(character)).flatMap(([script]) => [
        script,
        ...(WRITING_SYSTEMS[script] ?? [])
      ])
    )
    if (scripts.size === 0) return null
    sets.push(scripts)
  }
  return sets
}

/** UTS #39 5.2, level 3: a single resolved script, or Latin beside one CJK writing system. */
function highlyRestrictive (sets: Array<Set<string>>): boolean {
  if (common(sets) !== 'none') return true
  const rest = common(sets.filter((set) => !set.has('Latn')))
  return rest === 'all' || (rest !== 'none' && CJK.some((system) => rest.has(system)))
}

/** The resolved script set: what every character shares ('all' when no character has a script). */
function common (sets: Array<Set<string>>): Set<string> | 'all' | 'none' {
  if (sets.length === 0) return 'all'
  const shared = new Set([...sets[0]!].filter((script) => sets.every((set) => set.has(script))))
  return shared.size === 0 ? 'none' : shared
}
