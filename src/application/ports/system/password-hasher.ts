export interface PasswordHasher {
  hash (password: string): Promise<string>
  /**
   * True when the password matches. With `hash` null it still does the full work against a
   * dummy hash and answers false, so an unknown email costs the same time as a wrong password.
   */
  verify (hash: string | null, password: string): Promise<boolean>
}
