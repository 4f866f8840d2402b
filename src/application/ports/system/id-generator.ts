export interface IdGenerator {
  /** A fresh random UUID (lower-case, RFC 4122 v4). */
  newId (): string
}
