import { randomInt } from 'node:crypto'
import type { RandomSource } from '../../application/ports/system/random-source.js'

export const cryptoRandom: RandomSource = {
  digits: (length) => Array.from({ length }, () => String(randomInt(10))).join(''),
  // randomInt draws without modulo bias, so every character of the alphabet is equally likely.
  characters: (alphabet, length) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]!).join('')
}
