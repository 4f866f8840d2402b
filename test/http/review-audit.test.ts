import t from 'tap'
import type { AuditEntry, AuditLog } from '../../src/application/ports/records/audit-log.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { admin, injectUploader, registration, withUploads } from '../helpers/phone-flows.js'

// The JSON admin API and the console review through one use-case (member-review.ts): the same
// entries, written before anything leaves, and a trail that cannot be written fails the request.

type Built = Awaited<ReturnType<typeof buildTestApp>>

const ADDRESS = '198.51.100.4'
const REASON = '신분증 사진이 흐립니다.'

async function pendingMember ({ app }: Built) {
  const body = await withUploads(injectUploader(app), registration())
  const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  const uuid = res.json().user.uuid as string
  return { uuid, id: fromShortUuid(uuid)!, files: body.verification_files.length }
}

/** A staff member signed in to the console, and how to call it as them. */
async function consoleReviewer ({ app, ports }: Built, role: 'reviewer' | 'admin' = 'reviewer') {
  const { cookie, csrf } = await signInStaff(app, ports, await addStaff(ports, role))
  return {
    page: (uuid: string) =>
      app.inject({
        method: 'GET',
        url: `/console/members/${uuid}`,
        headers: { cookie: cookie! },
        remoteAddress: ADDRESS
      }),
    post: (uuid: string, verb: 'approve' | 'reject' | 'purge-files', fields: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: `/console/members/${uuid}/${verb}`,
        remoteAddress: ADDRESS,
        ...withCookie(form({ _csrf: csrf!, ...fields }), cookie!)
      })
  }
}

const api = ({ app }: Built, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: admin, remoteAddress: ADDRESS, ...(payload === undefined ? {} : { payload }) })

/**
 * What reviewers did to a member, oldest first: not the member's own entries (their sign-up), nor
 * the admin API's access record (one per call, that door's own).
 */
async function memberTrail ({ ports }: Built, memberId: string): Promise<AuditEntry[]> {
  return (await ports.audit.list({ memberId, limit: 100 })).reverse()
    .filter((entry) => entry.actor.kind !== 'member' && entry.action !== 'admin_api.call')
}

/** What must agree between the doors: the action, the member, the address, the reason and the detail's shape. */
const shape = (entry: AuditEntry) => ({
  action: entry.action,
  address: entry.address,
  reason: entry.reason,
  detail: Object.keys(entry.detail).sort()
})

t.test('a staff decision through the API and through the console leaves the same audit entries', async (t) => {
  const built = await buildTestApp(t)
  const viaApi = await pendingMember(built)
  const viaConsole = await pendingMember(built)
  const reviewer = await consoleReviewer(built)
  const tick = () => { built.ports.clock.advance(1000) }

  // The same work on each door: look at the member, reject with a reason, see the member afterwards.
  t.equal((await api(built, 'GET', `/admin/users/${viaApi.uuid}`)).statusCode, 200)
  tick()
  t.equal(
    (await api(built, 'POST', `/admin/users/${viaApi.uuid}/reject`, { reason: REASON })).statusCode,
    200,
    'the API answers the member, files included'
  )
  tick()
  t.equal((await reviewer.page(viaConsole.uuid)).statusCode, 200)
  tick()
  const rejected = await reviewer.post(viaConsole.uuid, 'reject', { reason: REASON })
  t.equal(rejected.statusCode, 303)
  tick()
  t.equal((await reviewer.page(viaConsole.uuid)).statusCode, 200, 'the console shows the member after the redirect')

  const apiTrail = await memberTrail(built, viaApi.id)
  const consoleTrail = await memberTrail(built, viaConsole.id)
  // Compared as sets: the API's answer to the rejection is written in the same instant as the decision.
  const sorted = <T extends { action: string }>(entries: T[]) =>
    [...entries].sort((a, b) => a.action.localeCompare(b.action))
  const views = (count: number) =>
    Array.from({ length: count }, () => ({
      action: 'member.file_viewed',
      address: ADDRESS,
      reason: null,
      detail: ['key']
    }))
  const expected = (files: number) =>
    sorted([
      ...views(files),
      { action: 'member.rejected', address: ADDRESS, reason: REASON, detail: ['from'] },
      ...views(files)
    ])
  t.same(sorted(apiTrail.map(shape)), expected(viaApi.files), 'through the API')
  t.same(
    sorted(consoleTrail.map(shape)),
    sorted([
      ...views(viaConsole.files),
      { action: 'member.rejected', address: ADDRESS, reason: REASON, detail: ['from'] }
    ]),
    'through the console: the same entries, but the second look within the visit is not recorded again'
  )
  t.ok(
    apiTrail.every(entry => entry.actor.kind === 'api-key' && entry.memberId === viaApi.id),
    'the API key is the actor'
  )
  t.ok(
    consoleTrail.every(entry => entry.actor.kind === 'staff' && entry.memberId === viaConsole.id),
    'the staff member is the actor'
  )
})

t.test('the admin API records member.file_viewed for each file of each member before the links leave', async (t) => {
  const built = await buildTestApp(t)
  const first = await pendingMember(built)
  const second = await pendingMember(built)
  const views = async (memberId: string) =>
    (await built.ports.audit.list({ memberId, limit: 100 })).filter(entry => entry.action === 'member.file_viewed')

  const list = await api(built, 'GET', '/admin/users?status=pending')
  t.equal(list.statusCode, 200)
  // No waiting: the entries are in the trail when the answer is.
  for (const member of [first, second]) {
    const shown = list.json().results.find((result: { uuid: string }) => result.uuid === member.uuid)
    const recorded = await views(member.id)
    t.equal(recorded.length, member.files, 'one entry per file, per member')
    t.same(
      recorded.map(entry => entry.detail.key).sort(),
      shown.verification_files.map((file: { key: string }) => file.key).sort(),
      'naming the files the answer links'
    )
    t.ok(recorded.every((entry) => entry.actor.kind === 'api-key' && entry.address === ADDRESS))
  }

  t.equal((await api(built, 'GET', `/admin/users/${first.uuid}`)).statusCode, 200)
  t.equal((await views(first.id)).length, first.files * 2, 'the member\'s page too')
})

t.test('a rejection through the admin API needs a reason', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  for (const reason of [null, '', '   \n ']) {
    const res = await api(built, 'POST', `/admin/users/${member.uuid}/reject`, { reason })
    t.equal(res.statusCode, 400, `reason ${JSON.stringify(reason)}`)
    t.same(res.json(), { reason: [res.json().reason[0]] }, 'a field error on reason, in the door\'s format')
  }
  t.equal((await api(built, 'POST', `/admin/users/${member.uuid}/reject`, {})).statusCode, 400, 'no reason at all')
  t.equal((await built.ports.accounts.findById(member.id))?.status, 'pending', 'the member is still pending')
  t.same(
    (await built.ports.audit.list({ memberId: member.id, limit: 100 })).filter(
      entry => entry.action === 'member.rejected'
    ),
    [],
    'and nothing was recorded as decided'
  )
})

t.test('when the trail cannot be written the admin API answers 503 and shows nothing', async (t) => {
  const audit = createMemoryAuditLog(randomIds)
  let down = false
  const trail: AuditLog = {
    ...audit,
    append: async entry => {
      if (down) throw new Error('audit store down')
      await audit.append(entry)
    }
  }
  const built = await buildTestApp(t, { audit: trail })
  const member = await pendingMember(built)
  down = true
  for (const [method, url] of [
    ['GET', '/admin/users'],
    ['GET', `/admin/users/${member.uuid}`],
    ['POST', `/admin/users/${member.uuid}/approve`]
  ] as const) {
    const res = await api(built, method, url)
    t.equal(res.statusCode, 503, `${method} ${url}`)
    t.equal(res.json().code, 'service_unavailable')
    t.notMatch(res.body, 'signature=', 'no signed link left')
  }
  t.equal(
    (await built.ports.accounts.findById(member.id))?.status,
    'pending',
    'a decision the trail cannot record is not made'
  )
})

t.test('when the trail cannot be written the console answers 503 and shows nothing', async (t) => {
  const audit = createMemoryAuditLog(randomIds)
  let down = false
  const trail: AuditLog = {
    ...audit,
    append: async entry => {
      if (down) throw new Error('audit store down')
      await audit.append(entry)
    }
  }
  const built = await buildTestApp(t, { audit: trail })
  const member = await pendingMember(built)
  const decided = await pendingMember(built)
  const reviewer = await consoleReviewer(built, 'admin')
  t.equal((await reviewer.post(decided.uuid, 'approve')).statusCode, 303)
  down = true
  t.equal((await reviewer.post(decided.uuid, 'purge-files')).statusCode, 503, 'a purge')
  t.equal(
    (await built.ports.accounts.findProfileById(decided.id))?.profile?.verificationFiles.length,
    decided.files,
    'the files stay'
  )
  const page = await reviewer.page(member.uuid)
  t.equal(page.statusCode, 503, 'the member page')
  t.notMatch(page.body, 'signature=', 'no signed link left')
  t.equal((await reviewer.post(member.uuid, 'approve')).statusCode, 503, 'a decision')
  t.equal((await reviewer.post(member.uuid, 'reject', { reason: REASON })).statusCode, 503, 'a rejection')
  t.equal((await built.ports.accounts.findById(member.id))?.status, 'pending', 'nothing decided')
})
