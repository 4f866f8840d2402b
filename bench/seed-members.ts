import { randomBytes, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import postgres from 'postgres'

/**
 * `count` approved phone members written straight into the service's database with COPY (not
 * through the API: a million sign-ups would take hours), each as the API would have stored one:
 * profile columns, two or three interests, a profession, two verification file records, and one
 * `member.signed_in` audit entry. They only fill the tables and indexes; the bench's own members
 * are signed up through the API as before. Mobile numbers start at 010-5000-0000, clear of
 * testNumbers(). Answers the seconds it took.
 */
export async function seedMembers (databaseUrl: string, count: number, log: (line: string) => void): Promise<number> {
  const started = performance.now()
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const interestIds = (await sql<Array<{ id: string }>>`select id from interests order by id`).map((row) => row.id)
    const professionIds = (await sql<Array<{ id: string }>>`select id from professions order by id`).map(row => row.id)
    const ids = Array.from({ length: count }, () => randomUUID())
    const day = 86_400_000
    const now = Date.now()
    const createdAt = (i: number) => new Date(now - 400 * day + Math.floor((i / count) * 399 * day)).toISOString()

    // One COPY per table, fed in chunks of lines (one string per 5,000 rows keeps the stream cheap).
    const copy = async (table: string, columns: string[], rowsOf: (i: number) => string[][]) => {
      const chunk = 5_000
      const lines = function * () {
        for (let from = 0; from < count; from += chunk) {
          const out: string[] = []
          for (let i = from; i < Math.min(count, from + chunk); i++) {
            for (const row of rowsOf(i)) out.push(row.join('\t'))
          }
          yield out.join('\n') + '\n'
        }
      }
      const writable = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable()
      await pipeline(Readable.from(lines()), writable)
    }

    await copy(
      'users',
      [
        'id',
        'mobile',
        'status',
        'language',
        'username',
        'name',
        'birth',
        'gender',
        'carrier',
        'foreigner',
        'unique_in_site',
        'unique_key',
        'avatar_key',
        'profile_key',
        'profession_id',
        'created_at',
        'decided_at'
      ],
      i => [
        [
          ids[i]!,
          `+8210${50_000_000 + i}`,
          'approved',
          'ko',
          `seed${i}`,
          '시드회원',
          `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
          i % 2 === 0 ? 'male' : 'female',
          'SK telecom',
          'f',
          `site-${i}`,
          randomBytes(32).toString('base64'),
          `images/users/avatars/seed-${i}.jpeg`,
          `images/users/profiles/seed-${i}.jpeg`,
          professionIds[i % professionIds.length]!,
          createdAt(i),
          createdAt(i)
        ]
      ]
    )
    log(`seeded ${count} users (${Math.round((performance.now() - started) / 1000)} s)`)
    await copy('user_interests', ['user_id', 'interest_id', 'position'], i =>
      Array.from({ length: 2 + (i % 2) }, (_, position) => [
        ids[i]!,
        interestIds[(i + position * 5) % interestIds.length]!,
        String(position)
      ])
    )
    await copy('verification_files', ['id', 'user_id', 'key', 'display_order'], (i) => [0, 1].map((order) =>
      [randomUUID(), ids[i]!, `images/users/verifications/seed-${i}-${order}.jpeg`, String(order)]))
    await copy(
      'audit_events',
      ['id', 'at', 'actor_kind', 'actor_member_id', 'action', 'member_id', 'address', 'detail'],
      i => [
        [randomUUID(), createdAt(i), 'member', ids[i]!, 'member.signed_in', ids[i]!, '203.0.113.7', '{"door": "phone"}']
      ]
    )
    log(
      'seeded their interests, verification files and audit entries ' +
        `(${Math.round((performance.now() - started) / 1000)} s)`
    )
    await sql`vacuum analyze users, user_interests, verification_files, audit_events`
    return (performance.now() - started) / 1000
  } finally {
    await sql.end({ timeout: 5 })
  }
}
