import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import t from 'tap'
import { seriousViolations, withAxe } from '../helpers/axe.js'
import { drawJpeg, launchBrowser, memberSignUps, noBrowser, staffAdd, totp } from '../helpers/console-browser.js'
import { freshMobile } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// One service, one browser, one signed-in admin: every console page in Korean and English, on a
// 1280 px desktop and a 390 px phone, through axe; a screenshot of each (English, desktop) for
// the README; then the keyboard-only review of three members and the number change by staff.
t.setTimeout(300_000)

// The README's pictures are this test's screenshots: `CONSOLE_SCREENSHOTS=update` writes them to
// docs/console (commit them); otherwise they go to a scratch folder, so a test run leaves the tree
// as it found it, and are checked to be the PNGs of the size the README shows.
const SHOTS = process.env.CONSOLE_SCREENSHOTS === 'update'
  ? resolve(import.meta.dirname, '../../docs/console')
  : await mkdtemp(join(tmpdir(), 'console-shots-'))
if (process.env.CONSOLE_SCREENSHOTS !== 'update') t.teardown(() => rm(SHOTS, { recursive: true, force: true }))
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

/** The page at both sizes through axe; in English at desktop size, its screenshot as docs/console/<name>.png. */
async function check (t: Test, page: Page, name: string, language: 'ko' | 'en'): Promise<void> {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport)
    // The resize reaches the page's script at its next frame.
    await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    t.equal(await page.getAttribute('html', 'lang'), language, `${name}: the page says its language`)
    t.same(await seriousViolations(page), [], `${name} (${language}, ${size}): no serious or critical violation`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    if (size === 'phone') t.ok(overflow <= 0, `${name} (${language}): no sideways scrolling on a phone`)
    if (size === 'phone' && overflow > 0) {
      // What sticks out, so a failure says where to look.
      t.comment(await page.evaluate(() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 8)
        .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
        .join(' | ')))
    }
    if (size === 'desktop' && language === 'en') await shoot(t, page, name, DESKTOP)
  }
  await page.setViewportSize(DESKTOP)
}

/** A screenshot of the viewport as SHOTS/<name>.png, checked to be a PNG of the viewport's size. */
async function shoot (t: Test, page: Page, name: string, viewport: { width: number, height: number }): Promise<void> {
  const png = await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  t.same(png.subarray(1, 4).toString('latin1'), 'PNG', `${name}.png is a PNG`)
  t.same([png.readUInt32BE(16), png.readUInt32BE(20)], [viewport.width, viewport.height], `${name}.png: the viewport`)
}

async function switchLanguage (page: Page): Promise<void> {
  const before = await page.getAttribute('html', 'lang')
  await page.locator('a.language-switch').click()
  await page.waitForFunction(was => document.documentElement.lang !== was, before)
}

/** Presses a key and waits for the page it sends the browser to. */
async function pressAndLoad (page: Page, key: string): Promise<void> {
  const before = page.url()
  await Promise.all([page.waitForURL(url => url.toString() !== before), page.keyboard.press(key)])
  await page.waitForLoadState('load')
}

t.test(
  'every console page in Korean and English, desktop and phone: axe finds nothing serious; the keyboard review',
  { skip: noPg || noRedis || noBrowser },
  async t => {
    await mkdir(SHOTS, { recursive: true })
    const { base, call, config } = await startServiceOnPostgresAndRedis(t)
    const admin = await staffAdd({ DATABASE_URL: config.database.url! }, 'a11y-admin@staff.test', 'admin')
    const browser = await launchBrowser(t)
    const signUp = memberSignUps(t, call, await drawJpeg(browser, 480, 300))
    // Oldest first: the three the keyboard review decides, then the one the pages show.
    const reviewed = [await signUp(), await signUp(), await signUp()]
    const shown = await signUp()
    // One per language, decided behind a stale page's back for the 409 page.
    const conflicts = { ko: await signUp(), en: await signUp() }

    const context = await browser.newContext({ locale: 'ko-KR', viewport: DESKTOP })
    await withAxe(context)
    const page = await context.newPage()

    // Before a session: the sign-in page (focus on its first field), then the second factor.
    await page.goto(`${base}/console/sign-in`)
    t.equal(await page.evaluate(() => document.activeElement?.id), 'email', 'focus on the first field on arrival')
    // axe bites: a button with no name, planted in the page, is found (then the page is loaded again).
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<button id="planted"></button>'))
    t.same(await seriousViolations(page), ['button-name: #planted'], 'axe finds a planted nameless button')
    await page.reload()
    await check(t, page, 'sign-in', 'ko')
    await switchLanguage(page)
    await check(t, page, 'sign-in', 'en')
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/second-factor/)
    await check(t, page, 'second-factor', 'en')
    await switchLanguage(page)
    await check(t, page, 'second-factor', 'ko')
    const secret = (await page.locator('code').first().textContent() ?? '').replace(/\s/g, '')
    await page.getByLabel('인증 코드').fill(totp(secret))
    await page.getByRole('button', { name: '확인' }).click()
    await page.waitForURL(/\/console\/queue/)

    const member = `/console/members/${shown.uuid}`
    const pages: Array<[string, string]> = [
      ['queue', '/console/queue'],
      ['member', member],
      ['file-viewer', `${member}/view/id-0`],
      ['member-support', `${member}/support`],
      ['audit', '/console/audit'],
      ['staff', '/console/staff'],
      ['catalogs', '/console/catalogs'],
      ['rejection-reasons', '/console/reasons'],
      ['password', '/console/password']
    ]
    for (const language of ['ko', 'en'] as const) {
      for (const [name, path] of pages) {
        const res = await page.goto(base + path)
        t.equal(res?.status(), 200, `${name} (${language})`)
        await check(t, page, name, language)
      }
      // A decision on a member another tab decided meanwhile: the 409 page.
      const stale = `${base}/console/members/${conflicts[language].uuid}`
      await page.goto(stale)
      const otherTab = await context.newPage()
      await otherTab.goto(stale)
      await Promise.all([
        otherTab.waitForURL(url => url.toString() !== stale),
        otherTab.locator('[data-shortcut=approve]').click()
      ])
      await otherTab.close()
      const [refused] = await Promise.all([
        page.waitForResponse(res => res.request().method() === 'POST'),
        page.locator('[data-shortcut=approve]').click()
      ])
      t.equal(refused.status(), 409, `the stale page's decision is refused (${language})`)
      await page.waitForLoadState('load')
      await check(t, page, 'conflict', language)
      // The bulk approval's confirmation (a post's answer), left unconfirmed.
      await page.goto(`${base}/console/queue`)
      await page.locator('table.queue input[type=checkbox]').first().check()
      await page.locator('.bulk-actions button[value=selected]').click()
      await page.waitForLoadState('load')
      await check(t, page, 'bulk-approve', language)
      if (language === 'ko') {
        // The queue as cards on a phone, in Korean.
        await page.goto(`${base}/console/queue`)
        await page.setViewportSize(PHONE)
        await page.locator('table.queue').evaluate(table => table.scrollIntoView())
        await shoot(t, page, 'queue-phone', PHONE)
        await page.setViewportSize(DESKTOP)
        await switchLanguage(page)
        t.equal(await page.getAttribute('html', 'lang'), 'en')
      }
    }

    // The frame: the current page marked, a skip link first, the language kept from page to page.
    // A fragment in the address: the script leaves focus where the browser put it (the top).
    await page.goto(`${base}/console/audit#top`)
    t.equal(await page.locator('nav a[aria-current="page"]').getAttribute('href'), '/console/audit')
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link', 'the first Tab: the skip link')
    await page.keyboard.press('Enter')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'which lands on the main content')

    // Member support: the number changed by an admin after an ID check, on a phone.
    await page.setViewportSize(PHONE)
    await page.goto(`${base}${member}`)
    await page.getByRole('link', { name: /Member support/ }).click()
    const next = freshMobile()
    await page.getByLabel('New mobile number').fill(next)
    await page.getByLabel('Reason (what was checked)').fill('Lost the old number; ID card checked at the desk')
    await page.getByRole('button', { name: 'Change number' }).click()
    await page.waitForURL(/done=mobile/)
    t.ok(await page.getByText('Number changed.').isVisible(), 'the number is changed')
    t.equal(
      (await call('POST', '/api/auth/mobile/', { body: { mobile: next } })).body.code,
      '1006',
      'the new number is the (still pending) member\'s'
    )
    await page.setViewportSize(DESKTOP)

    // The keyboard review: approve, next, reject with a reason, next; nothing but keys after the first page.
    const [first, second, third] = reviewed as [typeof shown, typeof shown, typeof shown]
    await page.goto(`${base}/console/members/${first.uuid}`)
    t.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'a page with shortcuts focuses its content')
    await pressAndLoad(page, 'a')
    t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: first.mobile } })).status, 200, 'a: approved')
    await pressAndLoad(page, 'n')
    t.match(page.url(), `/console/members/${second.uuid}`, 'n: the next pending member')
    await page.keyboard.press('r')
    if (await page.evaluate(() => document.activeElement?.tagName) === 'SELECT') await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'reason', 'r: to the reason')
    // Letters that are shortcuts elsewhere: typed into the field, they decide nothing.
    await page.keyboard.type('Name and photo do not match the ID card')
    t.equal(
      (await call('POST', '/api/auth/mobile/', { body: { mobile: second.mobile } })).body.code,
      '1006',
      'still pending while the reason is typed'
    )
    await pressAndLoad(page, 'Control+Enter')
    t.equal(
      (await call('POST', '/api/auth/mobile/', { body: { mobile: second.mobile } })).body.code,
      '1005',
      'Ctrl+Enter: rejected'
    )
    t.ok(await page.getByText('Name and photo do not match the ID card').first().isVisible(), 'with the reason')
    await pressAndLoad(page, 'n')
    t.match(page.url(), `/console/members/${third.uuid}`, 'n: the third member')
    t.equal(
      (await call('POST', '/api/auth/mobile/', { body: { mobile: third.mobile } })).body.code,
      '1006',
      'the third is still pending'
    )
    await page.keyboard.press('?')
    t.ok(await page.locator('#shortcuts').evaluate(details => (details as HTMLDetailsElement).open), '?: the help')
  }
)
