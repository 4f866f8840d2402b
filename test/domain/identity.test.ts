import t from 'tap'
import {
  carrierNetwork,
  contradictions,
  isStale,
  maskIdentityKey,
  type ClaimedIdentity,
  type VerifiedIdentity
} from '../../src/domain/identity.js'

const verified: VerifiedIdentity = {
  verificationId: 'identity-verification-1',
  ci: 'ci-of-hong',
  di: 'di-of-hong',
  name: '홍길동',
  birth: '1990-01-15',
  gender: 'male',
  phone: '01012345678',
  carrier: 'SKT',
  foreigner: false,
  verifiedAt: new Date('2026-12-07T00:00:00Z')
}

const nothingClaimed: ClaimedIdentity = {
  name: null,
  birth: null,
  gender: null,
  carrier: null,
  foreigner: null,
  uniqueKey: null,
  uniqueInSite: null
}

t.test('claims that agree with the record contradict nothing', async t => {
  t.same(contradictions({
    name: ' 홍길동 ',
    birth: '1990-01-15',
    gender: 'male',
    carrier: 'SK telecom',
    foreigner: false,
    uniqueKey: 'ci-of-hong',
    uniqueInSite: 'di-of-hong'
  }, verified), [])
  t.same(contradictions(nothingClaimed, verified), [], 'a claim not made contradicts nothing')
})

t.test('each contradicted claim is named by the phone door field', async t => {
  t.same(contradictions({
    name: '김철수',
    birth: '1991-01-15',
    gender: 'female',
    carrier: 'KT',
    foreigner: true,
    uniqueKey: 'someone-else',
    uniqueInSite: 'other-di'
  }, verified), ['name', 'birth', 'gender', 'carrier', 'foreigner', 'unique_key', 'unique_in_site'])
})

t.test('names compare in NFC, case and runs of spaces aside', async t => {
  const foreigner = { ...verified, name: 'JOHN  SMITH' }
  t.same(contradictions({ ...nothingClaimed, name: 'John Smith' }, foreigner), [])
  // 홍 written as conjoining jamo (NFD) is the same name.
  t.same(contradictions({ ...nothingClaimed, name: '홍길동'.normalize('NFD') }, verified), [])
  t.same(contradictions({ ...nothingClaimed, name: 'John Smyth' }, foreigner), ['name'])
})

t.test('a field the provider did not return contradicts nothing', async t => {
  const sparse = { ...verified, birth: null, gender: null, carrier: null, foreigner: null, ci: null, di: null }
  const claims = { ...nothingClaimed, birth: '2000-01-01', gender: 'other' as const, carrier: 'KT', uniqueKey: 'x' }
  t.same(contradictions(claims, sparse), [])
})

t.test('carriers compare by network; MVNOs by host or as MVNO', async t => {
  const agree = (claimed: string, code: string) =>
    contradictions({ ...nothingClaimed, carrier: claimed }, { ...verified, carrier: code })
  t.same(agree('SK telecom', 'SKT'), [])
  t.same(agree('KTF', 'KT'), [])
  t.same(agree('LG U+', 'LGU'), [])
  t.same(agree('알뜰폰', 'KT_MVNO'), [], 'MVNO alone agrees with any MVNO')
  t.same(agree('SKT', 'SKT_MVNO'), [], "an MVNO's host network agrees")
  t.same(agree('SKT 알뜰폰', 'SKT'), ['carrier'], 'an MVNO claim is not the host itself')
  t.same(agree('KT', 'SKT_MVNO'), ['carrier'])
  t.same(agree('MVNO', 'LGU'), ['carrier'])
  t.same(agree('Telekom', 'SKT'), [], 'an unrecognised text is no claim')
  t.same(carrierNetwork('LG U+'), { network: 'LGU', mvno: false })
  t.equal(carrierNetwork('Vodafone'), null)
})

t.test('a verification is stale past the maximum age', async t => {
  const hour = 3600_000
  t.notOk(isStale(verified, new Date(verified.verifiedAt.getTime() + hour), hour))
  t.ok(isStale(verified, new Date(verified.verifiedAt.getTime() + hour + 1), hour))
})

t.test('keys are masked to their ends, short ones wholly', async t => {
  t.equal(maskIdentityKey('abcdefghijklmnop'), 'abcd…mnop')
  t.equal(maskIdentityKey('short'), '•••••')
})
