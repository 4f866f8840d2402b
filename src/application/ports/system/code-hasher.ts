import type { CodeSubject } from '../../../domain/code-subject.js'

export interface CodeHasher {
  /**
   * A keyed hash of a one-time code for one subject (a number, a reset, a verification…). Keyed,
   * because a plain hash of six digits is reversed in a millisecond by anyone who reads the store;
   * bound to the subject, so a code's hash is worth nothing under another subject.
   */
  hash (subject: CodeSubject, code: string): string
}
