export interface RandomSource {
  /** `length` decimal digits from a cryptographically secure generator. */
  digits (length: number): string
}
