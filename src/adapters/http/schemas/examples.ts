import type { Static, TSchema } from '@fastify/type-provider-typebox'

/** The schema with one example; the compiler checks the example against the schema's type. */
export const withExample = <T extends TSchema>(schema: T, value: Static<T>): T => ({ ...schema, examples: [value] })

// Values in the shapes the two apps' API documents show, for /docs. Tokens are shortened.

export const EXAMPLE_ACCESS = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJhY2Nlc3MifQ.s3pAukovReIwA'
export const EXAMPLE_REFRESH = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJyZWZyZXNoIn0.bX609JyklIKk'

export const EXAMPLE_INTEREST = {
  uuid: 'fQW6UJWc5eNzvTNxSHK000',
  name: '골프',
  emoji: '⛳',
  image: '/media/images/interests/interest_P6kjacMDyoBQZXHVy3d6Q8.jpeg'
}

export const EXAMPLE_PROFESSION = { uuid: '6jPaGgDuJeeVffM7SXTBGx', name: '의사', emoji: '👨‍⚕️' }

export const EXAMPLE_MEMBER = {
  age: 36,
  birth: '1984-10-23',
  gender: 'male',
  interests: [EXAMPLE_INTEREST],
  profession: EXAMPLE_PROFESSION,
  profile: '/media/images/users/profiles/profile_rVvDZa9Mk28f58ch2AXuNt.jpeg',
  status: 'pending',
  username: '도도',
  uuid: 'CLS9fByfifGwPy5YQWTQon'
}

export const EXAMPLE_REGISTRATION = {
  avatar: 'images/users/avatars/avatar_dIdjeka9Mk28fsidje8X29d.jpeg',
  birth: '1984-10-23',
  carrier: 'SK telecom',
  foreigner: false,
  gender: 'male' as const,
  interests: ['fQW6UJWc5eNzvTNxSHK000', 'fQW6UJWc5eNzvTNxSHK001'],
  mobile: '01090991005',
  name: '손흥민',
  profession: '6jPaGgDuJeeVffM7SXTBGx',
  profile: 'images/users/profiles/profile_rVvDZa9Mk28f58ch2AXuNt.jpeg',
  unique_in_site: '239dfj239dfjasdf',
  unique_key: 'asdfi23jadsf92',
  username: '도도',
  verification_files: [
    { display_order: 0, original: 'images/users/verifications/verification_aKJXhaUGtobGKWMJSRHiti.jpeg' }
  ]
}

export const EXAMPLE_ADMIN_MEMBER = {
  ...EXAMPLE_MEMBER,
  mobile: '+821090991005',
  email: null,
  name: '손흥민',
  carrier: 'SK telecom',
  foreigner: false,
  unique_in_site: '239dfj239dfjasdf',
  unique_key: 'asdfi23jadsf92',
  avatar: '/media/images/users/avatars/avatar_dIdjeka9Mk28fsidje8X29d.jpeg',
  rejection_reason: null,
  created_at: '2024-06-11T09:30:00.000Z',
  verification_files: [
    {
      display_order: 0,
      key: 'images/users/verifications/verification_aKJXhaUGtobGKWMJSRHiti.jpeg',
      url:
        '/media/images/users/verifications/verification_aKJXhaUGtobGKWMJSRHiti.jpeg' +
        '?expires=1718098500&signature=5f1d0c9e'
    }
  ]
}
