/** What a signing secret must carry in production: the strength of a random 16-byte key. */
export const MIN_SECRET_BITS = 128

/** Bits on top of every pattern's own: saying that a pattern starts here, and which kind. */
const KIND_BITS = 3

/**
 * The bits a secret carries, estimated as a guesser who tries patterns first would attack it: the
 * cheapest way to spell the value out of these pieces, found by dynamic programming over its
 * characters. The idea is zxcvbn's, not the library: it is made for passwords and prices a
 * character it does not recognise at 10 guesses (3.3 bits), so 16 random bytes in hex would score
 * about 106 bits; and its word lists are a large dependency for one start-up check. A short
 * built-in list stands in for them.
 *
 * - a character drawn at random from the pool of the classes the value uses (26 lower, 26 upper,
 *   10 digits, 33 ASCII symbols, 100 for anything else): log2(pool) bits;
 * - a copy of an earlier stretch of 4 or more, overlapping or not (`aaaa`, `Xk9!Xk9!`,
 *   `passwordpassword`): its distance back and its length;
 * - a run of 3 or more with a constant step of at most 3 in one class (`abcd`, `13579`, `zyx`):
 *   its first character, the step and the length;
 * - a walk of 3 or more keys that touch on a QWERTY keyboard (`qwerty`, `asdf`, `1qaz2wsx`): its
 *   first key, log2(6) bits for each turn, a few for Shift, and the length;
 * - a common word (`password`, `secret`, `admin`, `changeme`, ...) in any case, reversed, or with
 *   digits or symbols for letters (`p@ssw0rd`): the word and its variation.
 *
 * Each pattern costs KIND_BITS more: that one starts there, and which. A value never carries more
 * than its alphabet holds, so the estimate is capped at log2(alphabet) per character: 16 for hex
 * (one case), the class pool otherwise. A random 32-byte value scores 256 bits in hex and more in
 * base64 or base64url. 16 random bytes in hex score exactly 128, the bar itself: the patterns a
 * random value holds by chance cost less than its class pool (36) leaves over that cap, so there a
 * small pattern (`abcd` at the end) cannot be told from chance and only a large one refuses them
 * (1 in 10^6 random ones, measured; 32 bytes in any of the three encodings score 200 and more).
 * Only the first 256 characters are read: the copy search grows with the cube of the length.
 */
export function secretBits (value: string): number {
  const chars = [...value].slice(0, 256)
  const n = chars.length
  if (n === 0) return 0
  const pool = poolSize(chars)
  const charBits = Math.log2(pool)
  const best = new Array<number>(n + 1).fill(Infinity)
  best[0] = 0
  const relax = (end: number, bits: number): void => { if (bits < best[end]!) best[end] = bits }

  for (let i = 0; i < n; i++) {
    const here = best[i]!
    relax(i + 1, here + charBits)
    // Copies: every earlier start, every length from 3 up to the longest match.
    for (let k = 0; k < i; k++) {
      for (let length = 0; i + length < n && chars[k + length] === chars[i + length]; length++) {
        if (length + 1 >= 4) relax(i + length + 1, here + KIND_BITS + Math.log2(i - k) + Math.log2(length + 1))
      }
    }
    // Constant-step runs within one class.
    const step = code(chars[i + 1]) - code(chars[i])
    if (step !== 0 && Math.abs(step) <= 3 && classOf(chars[i]!) === classOf(chars[i + 1] ?? '')) {
      let end = i + 2
      while (
        end < n &&
        code(chars[end]) - code(chars[end - 1]) === step &&
        classOf(chars[end]!) === classOf(chars[i]!)
      ) {
        end++
        relax(end, here + KIND_BITS + Math.log2(CLASS_POOL[classOf(chars[i]!)]) + Math.log2(6) + Math.log2(end - i))
      }
    }
    // Keyboard walks: consecutive keys that touch, a turn wherever the direction changes.
    let turns = 0
    let shifted = KEYS.get(chars[i]!)?.shifted === true ? 1 : 0
    for (let end = i + 1, direction = ''; end < n; end++) {
      const from = KEYS.get(chars[end - 1]!)
      const to = KEYS.get(chars[end]!)
      if (from === undefined || to === undefined) break
      const move = `${to.x - from.x},${to.y - from.y}`
      if (!NEIGHBOURS.has(move)) break
      if (direction !== '' && move !== direction) turns++
      direction = move
      if (to.shifted) shifted++
      const length = end - i + 1
      const shiftBits = shifted === 0 ? 0 : shifted === length ? 1 : Math.min(shifted, length - shifted) + 1
      if (length >= 3) {
        relax(
          end + 1,
          here +
            KIND_BITS +
            Math.log2(KEYS.size / 2) +
            turns * Math.log2(NEIGHBOURS.size) +
            shiftBits +
            Math.log2(length)
        )
      }
    }
    // Common words, forwards and backwards.
    for (const word of WORDS) {
      for (const reversed of [false, true]) {
        const bits = wordBits(chars, i, reversed ? [...word].reverse().join('') : word)
        if (bits !== null) {
          relax(i + word.length, here + KIND_BITS + Math.log2(WORDS.length) + bits + (reversed ? 1 : 0))
        }
      }
    }
  }
  const alphabet = chars.every(char => /[0-9a-f]/.test(char)) || chars.every(char => /[0-9A-F]/.test(char)) ? 16 : pool
  return Math.min(best[n]!, n * Math.log2(alphabet))
}

/** Bits for the case and substitutions of `word` spelled at `chars[start]`, or null when it is not there. */
function wordBits (chars: string[], start: number, word: string): number | null {
  if (start + word.length > chars.length) return null
  let upper = 0
  let substituted = 0
  for (let j = 0; j < word.length; j++) {
    const char = chars[start + j]!
    const wanted = word[j]!
    if (char.toLowerCase() === wanted) {
      if (char !== wanted) upper++
    } else if (LEET[char]?.includes(wanted) === true) {
      substituted++
    } else {
      return null
    }
  }
  const capitalised = upper === 1 && chars[start] !== chars[start]!.toLowerCase()
  const caseBits = upper === 0 ? 0 : upper === word.length || capitalised ? 1 : word.length
  return caseBits + substituted
}

type CharClass = 'lower' | 'upper' | 'digit' | 'symbol' | 'other'
const CLASS_POOL: Record<CharClass, number> = { lower: 26, upper: 26, digit: 10, symbol: 33, other: 100 }

function classOf (char: string): CharClass {
  if (/^[a-z]$/.test(char)) return 'lower'
  if (/^[A-Z]$/.test(char)) return 'upper'
  if (/^[0-9]$/.test(char)) return 'digit'
  if (/^[ -~]$/.test(char)) return 'symbol'
  return 'other'
}

function poolSize (chars: string[]): number {
  const classes = new Set(chars.map(classOf))
  return [...classes].reduce((sum, name) => sum + CLASS_POOL[name], 0)
}

const code = (char: string | undefined): number => char === undefined ? NaN : char.codePointAt(0)!

/** QWERTY, unshifted and shifted rows. Rows below the digits start one key in, so x lines up diagonally. */
const ROWS = [
  ['`1234567890-=', '~!@#$%^&*()_+'],
  ['qwertyuiop[]\\', 'QWERTYUIOP{}|'],
  ["asdfghjkl;'", 'ASDFGHJKL:"'],
  ['zxcvbnm,./', 'ZXCVBNM<>?']
] as const
const KEYS = new Map<string, { x: number, y: number, shifted: boolean }>(
  ROWS.flatMap(([plain, shift], y) =>
    [...plain].flatMap(
      (char, index) =>
        [
          [char, { x: index + (y === 0 ? 0 : 1), y, shifted: false }],
          [shift[index]!, { x: index + (y === 0 ? 0 : 1), y, shifted: true }]
        ] as const
    )
  )
)
/** The six keys that touch one on a staggered keyboard: left, right, two above, two below. */
const NEIGHBOURS = new Set(['-1,0', '1,0', '0,-1', '1,-1', '-1,1', '0,1'])

/** Digits and symbols people write for letters. */
const LEET: Record<string, string> = {
  0: 'o',
  1: 'il',
  3: 'e',
  4: 'a',
  5: 's',
  7: 't',
  8: 'b',
  9: 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'il',
  '+': 't'
}

/** What secrets are made of when a person makes them up, and what the words around a deployment suggest. */
const WORDS = [
  'password', 'passwd', 'pass', 'secret', 'admin', 'administrator', 'root', 'changeme', 'change', 'default', 'qwerty',
  'letmein', 'welcome', 'login', 'master', 'example', 'sample', 'test', 'testing', 'demo', 'dummy', 'key', 'token',
  'jwt', 'auth', 'mobile', 'api', 'app', 'service', 'server', 'signing', 'private', 'prod', 'production', 'staging',
  'dev', 'development', 'local', 'localhost', 'hello', 'world', 'foo', 'bar', 'baz', 'iloveyou', 'trustno1', 'dragon',
  'monkey', 'sunshine', 'football', 'baseball', 'superman', 'shadow', 'love', 'super', 'user', 'guest', 'access',
  'random', 'string', 'value', 'company', 'kubernetes', 'docker', 'config', 'abc', 'xyz'
]
