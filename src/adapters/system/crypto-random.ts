import { randomInt } from 'node:crypto'
import type { RandomSource } from '../../application/ports/random-source.js'

export const cryptoRandom: RandomSource = {
  digits: (length) => Array.from({ length }, () => String(randomInt(10))).join('')
}
