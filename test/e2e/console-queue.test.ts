import t from 'tap'
import type { BrowserContext, Page } from 'playwright-core'
import {
  drawJpeg, launchBrowser, memberSignUps, noBrowser, signIn, staffAdd, type SignedUp
} from '../helpers/console-browser.js'
import { seriousViolations, withAxe } from '../helpers/axe.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// One service on PostgreSQL + Redis, one browser, several stories: the members signed up through
// the phone door with real photos, a reviewer made with the command.
t.setTimeout(300_000)

/** Ticks the first `count` pending members on the page and asks to approve them. */
async function tickAndAsk (page: Page, count: number, button: RegExp): Promise<string[]> {
  const boxes = page.locator('td.q-select input[type=checkbox]')
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    await boxes.nth(i).check()
    names.push((await page.locator('tr.queue-row').nth(i).locator('td.q-member a').textContent()) ?? '')
  }
  await page.getByRole('button', { name: button }).click()
  return names
}

const listed = async (page: Page) => page.locator('ol.bulk-members li a').allTextContents()

const skip = noPg || noRedis || noBrowser

t.test('the queue in a browser: bulk approval, shared filters, a phone', { skip }, async t => {
  const service = await startServiceOnPostgresAndRedis(t)
  const { base, call } = service
  const reviewer = await staffAdd({ DATABASE_URL: service.config.database.url! }, 'queue@staff.test', 'reviewer')
  const browser = await launchBrowser(t)
  const signUp = memberSignUps(t, call, await drawJpeg(browser, 64, 64))
  const members: SignedUp[] = []
  for (let i = 0; i < 45; i++) members.push(await signUp())

  const english: BrowserContext = await browser.newContext({ locale: 'en-US' })
  const page = await english.newPage()
  await signIn(page, base, reviewer)
  const pendingCount = async (p: Page) => Number(/\((\d+)\)/.exec(
    (await p.locator('#status option[value=pending]').textContent()) ?? ''
  )?.[1])

  t.test('English: twenty ticked, a confirmation naming the twenty, then all approved', async t => {
    await page.goto(`${base}/console/queue`)
    t.equal(await pendingCount(page), 45)
    const thumb = await page.locator('img.q-thumb').first()
      .evaluate(async (image: HTMLImageElement) => { await image.decode(); return image.naturalWidth })
    t.equal(thumb, 64, 'the photo thumbnail loads through the media link')
    t.match(await page.locator('td.q-contact').first().textContent(), /^010-\d{4}-\d{4}$/, 'a Korean number as written')
    const chosen = await tickAndAsk(page, 20, /^Approve selected/)
    await page.waitForURL(/\/console\/queue\/approve$/)
    t.match(await page.locator('h1').textContent(), 'Approve 20 members?')
    t.same((await listed(page)).sort(), [...chosen].sort(), 'the confirmation lists exactly the twenty, by username')
    const peek = await english.newPage()
    await peek.goto(`${base}/console/queue`)
    t.equal(await pendingCount(peek), 45, 'nothing happened before the confirmation')
    await peek.close()
    await page.getByRole('button', { name: 'Approve 20' }).click()
    await page.waitForURL(/\/console\/queue\/approve\/confirm$/)
    t.match(await page.locator('#bulk-approved').textContent(), 'Approved 20 members.')
    t.equal(await page.locator('#bulk-skipped').count(), 0, 'none skipped')
    await page.getByRole('link', { name: 'Back to the queue' }).click()
    t.equal(await pendingCount(page), 25, 'twenty fewer pending')
    const approved = await call('POST', '/api/auth/mobile/', {
      body: { mobile: members.find(member => member.username === chosen[0])!.mobile }
    })
    t.equal(approved.status, 200, 'an approved member now gets a sign-in code')
  })

  t.test('Korean: twenty ticked and approved; "every pending member on this page" asks first', async t => {
    const korean = await browser.newContext({ locale: 'ko-KR', storageState: await english.storageState() })
    await withAxe(korean)
    const ko = await korean.newPage()
    await ko.goto(`${base}/console/queue?sort=newest`)
    t.equal(await pendingCount(ko), 25)
    const chosen = await tickAndAsk(ko, 20, /선택한 회원 승인/)
    t.match(await ko.locator('h1').textContent(), '회원 20명을 승인할까요?')
    t.same((await listed(ko)).sort(), [...chosen].sort(), '확인 화면에 스무 명의 아이디')
    t.same(await seriousViolations(ko), [], 'the confirmation: nothing serious for axe')
    await ko.getByRole('button', { name: '20명 승인' }).click()
    t.match(await ko.locator('#bulk-approved').textContent(), '20명을 승인했습니다.')
    t.same(await seriousViolations(ko), [], 'the result: nothing serious for axe')
    await ko.getByRole('link', { name: '대기열로' }).click()
    await ko.waitForURL(url => url.searchParams.get('sort') === 'newest')
    t.equal(await pendingCount(ko), 5, 'back on the same ordered queue, twenty fewer')
    t.same(await seriousViolations(ko), [], 'the queue: nothing serious for axe')

    const rest = await ko.locator('tr.queue-row td.q-member a').allTextContents()
    await ko.getByRole('button', { name: /이 페이지의 대기 회원 모두 승인/ }).click()
    t.match(await ko.locator('h1').textContent(), '회원 5명을 승인할까요?')
    t.same((await listed(ko)).sort(), [...rest].sort(), 'every pending member of the page, named')
    await ko.getByRole('link', { name: '취소하고 대기열로' }).click()
    t.equal(await pendingCount(ko), 5, 'cancelled: nobody approved')
    await korean.close()
  })

  t.test('the filters live in the URL: chosen in the form, kept on reload, kept by a shared link', async t => {
    await page.goto(`${base}/console/queue?status=all`)
    await page.getByLabel('Sort').selectOption('name')
    await page.getByLabel('Per page').selectOption('10')
    await page.getByLabel('Foreigner').selectOption('no')
    await page.getByLabel('Duplicate').selectOption('yes')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL(/sort=name/)
    const url = new URL(page.url())
    t.same(
      Object.fromEntries(url.searchParams),
      {
        status: 'all',
        q: '',
        from: '',
        to: '',
        dup: 'yes',
        foreigner: 'no',
        identity: '',
        carrier: '',
        sort: 'name',
        size: '10'
      },
      'every filter in the address'
    )
    const rows = await page.locator('tr.queue-row td.q-member a').allTextContents()
    t.equal(rows.length, 10, 'ten a page')
    t.ok(await page.locator('tr.queue-row .badge.duplicate').count() > 0, 'the duplicate flag in the list')
    await page.reload()
    t.equal(await page.getByLabel('Sort').inputValue(), 'name', 'the form keeps the sort after a reload')
    t.equal(await page.getByLabel('Per page').inputValue(), '10')
    t.equal(await page.getByLabel('Duplicate').inputValue(), 'yes')
    t.same(await page.locator('tr.queue-row td.q-member a').allTextContents(), rows, 'and the same rows')
    await page.getByRole('link', { name: 'Page 2', exact: true }).click()
    const two = new URL(page.url()).searchParams
    const kept = [two.get('page'), two.get('sort'), two.get('size'), two.get('dup')]
    t.same(kept, ['2', 'name', '10', 'yes'], 'page two, same filters')
    const other = await (await browser.newContext({ locale: 'en-US', storageState: await english.storageState() }))
      .newPage()
    await other.goto(url.toString())
    const shared = await other.locator('tr.queue-row td.q-member a').allTextContents()
    t.same(shared, rows, 'a shared link opens the same page')
    const bad = await other.goto(`${base}/console/queue?size=7`)
    t.equal(bad?.status(), 400)
    t.match(await other.locator('main').textContent(), 'The queue address has a value for "size" that is not valid')
  })

  t.test('a 390 px phone: the queue does not scroll sideways', async t => {
    for (const locale of ['ko-KR', 'en-US']) {
      const phone = await browser.newContext({
        locale,
        viewport: { width: 390, height: 844 },
        isMobile: true,
        storageState: await english.storageState()
      })
      const small = await phone.newPage()
      await small.goto(`${base}/console/queue?status=all`)
      t.ok(await small.locator('tr.queue-row').count() > 0, `${locale}: members listed`)
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      t.ok(overflow <= 0, `${locale}: the page is no wider than the phone (${overflow} px over)`)
      await phone.close()
    }
  })
})
