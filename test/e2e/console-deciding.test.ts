import t from 'tap'
import {
  drawJpeg, launchBrowser, memberSignUps, noBrowser, signIn, staffAdd
} from '../helpers/console-browser.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// Deciding in a real browser: two reviewers on one member, each in their own browser context (one in
// Korean, one in English, an admin), the second on a page made before the first one's decision; the
// admin adds a preset rejection reason; then the next pending member on a 390 px phone: a note, a
// rejection with the preset, undo. One service (PostgreSQL + Redis) and one browser.
t.setTimeout(300_000)

const skip = noPg || noRedis || noBrowser

t.test('two reviewers on one member, undo and the next pending member', { skip }, async t => {
  const service = await startServiceOnPostgresAndRedis(t)
  const { base, call } = service
  const env = { DATABASE_URL: service.config.database.url! }
  const korean = await staffAdd(env, `ko-${Date.now()}@staff.test`, 'reviewer')
  const english = await staffAdd(env, `en-${Date.now()}@staff.test`, 'admin')
  const browser = await launchBrowser(t)
  const signUp = memberSignUps(t, call, await drawJpeg(browser))
  const first = await signUp()
  const second = await signUp()

  const koPage = await (await browser.newContext({ locale: 'ko-KR' })).newPage()
  const enPage = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage()
  await signIn(koPage, base, korean)
  await signIn(enPage, base, english)

  // Both open the first member while pending; the second to open sees the first there.
  await koPage.goto(`${base}/console/members/${first.uuid}`)
  await enPage.goto(`${base}/console/members/${first.uuid}`)
  const here = enPage.locator('#others-here')
  t.ok(await here.isVisible(), 'the English reviewer sees someone else is on the member')
  t.match(await here.textContent(), korean.email, 'and who')

  // The Korean reviewer approves; the page says so and offers undo and the next pending member.
  await koPage.locator('[data-shortcut="approve"]').click()
  await koPage.waitForURL(/done=approved/)
  t.ok(await koPage.getByText('승인했습니다.').isVisible(), 'the decision is confirmed in Korean')
  t.ok(await koPage.getByRole('button', { name: '처리 취소' }).isVisible(), 'undo is offered to whoever decided')
  t.equal(
    await koPage.locator('[data-shortcut="next"]').getAttribute('href'),
    `/console/members/${second.uuid}`,
    'the next pending member is one link away'
  )

  // The English reviewer, on the page from before, rejects: refused, told who approved and when.
  await enPage.getByLabel('Reason for rejecting (required)').fill('The photo is blurred')
  const refused = enPage.waitForResponse(res => res.url().endsWith(`/console/members/${first.uuid}/reject`))
  await enPage.locator('[data-shortcut="reject"]').click()
  t.equal((await refused).status(), 409, 'the stale rejection is refused')
  t.ok(await enPage.getByRole('heading', { name: 'Another staff member decided first' }).isVisible())
  const said = await enPage.locator('#stale-decision').textContent()
  t.match(said, korean.email, 'the page names who decided')
  t.match(said, 'approved', 'and what')
  t.match(said, /KST/, 'and when')
  await enPage.getByRole('link', { name: 'Open the member again' }).click()
  await enPage.waitForURL(new RegExp(`/console/members/${first.uuid}$`))
  t.equal(await enPage.locator('section.card .badge').first().textContent(), 'Approved', 'the member stayed approved')
  t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: first.mobile } })).status, 200)

  // The English reviewer is an admin: they add a preset rejection reason in both languages.
  await enPage.getByRole('link', { name: 'Rejection reasons' }).click()
  await enPage.getByLabel('Korean text').fill('신분증이 잘렸습니다')
  await enPage.getByLabel('English text').fill('The ID is cut off')
  await enPage.getByRole('button', { name: 'Add reason' }).click()
  await enPage.waitForURL(/\/console\/reasons\?done=1/)
  t.equal(await enPage.getByLabel('English text').first().inputValue(), 'The ID is cut off', 'the reason is listed')

  // On to the next member; on a phone, a note, a rejection with the preset, then undo within the window.
  await koPage.locator('[data-shortcut="next"]').click()
  await koPage.waitForURL(new RegExp(`/console/members/${second.uuid}`))
  await koPage.setViewportSize({ width: 390, height: 844 })
  await koPage.getByRole('textbox', { name: '내부 메모' }).fill('전화로 신분증 재발급 확인')
  await koPage.getByRole('button', { name: '메모 저장' }).click()
  await koPage.waitForURL(/done=noted/)
  t.equal(await koPage.getByRole('textbox', { name: '내부 메모' }).inputValue(), '전화로 신분증 재발급 확인', 'the note is kept')
  t.match(await koPage.locator('#note-help').textContent(), korean.email, 'with who wrote it')
  await koPage.getByLabel('사유 선택').selectOption({ label: '신분증이 잘렸습니다' })
  await koPage.getByLabel('추가 설명 (사유를 고르지 않으면 필수)').fill('다시 올려 주세요')
  await koPage.locator('[data-shortcut="reject"]').click()
  await koPage.waitForURL(/done=rejected/)
  t.match(
    await koPage.locator('dl.fields').textContent(),
    '신분증이 잘렸습니다\n다시 올려 주세요',
    "the member's reason: the preset in their language, then the free text"
  )
  const overflow = await koPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  t.ok(overflow <= 0, 'the member page after a decision fits a 390 px phone')
  t.ok(await koPage.locator('[data-shortcut="next"]').count() === 0, 'no pending member is left')
  await koPage.getByRole('button', { name: '처리 취소' }).click()
  await koPage.waitForURL(/done=undone/)
  t.ok(await koPage.getByText('결정을 취소했습니다.').isVisible(), 'the undo is confirmed')
  t.equal(await koPage.locator('section.card .badge').first().textContent(), '대기', 'the member is pending again')
  t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: second.mobile } })).status, 406)
})
