export interface RandomSource {
  /** `length` decimal digits from a cryptographically secure generator. */
  digits (length: number): string
  /** `length` characters, each drawn uniformly from `alphabet`, from a cryptographically secure generator. */
  characters (alphabet: string, length: number): string
}
