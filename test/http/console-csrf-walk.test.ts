import t from 'tap'
import { declaredLimits } from '../../src/adapters/http/rate-limits.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, cookieOf, form, hiddenField, signInStaff, withCookie } from '../helpers/console-flows.js'

// Every field any console form schema requires, so a refusal can only be the token's.
const FIELDS = {
  name: 'n',
  emoji: 'e',
  reason: 'r',
  ko: 'k',
  en: 'e',
  email: 'nobody@staff.test',
  password: 'x',
  code: '000000',
  current: 'x',
  next: 'y',
  repeat: 'y'
}
const PARAMS: Record<string, string> = {
  kind: 'interests',
  uuid: 'AAAAAAAAAAAAAAAAAAAAAA',
  id: '00000000-0000-0000-0000-000000000000'
}

t.test(
  'every state-changing console route refuses a form without its CSRF token (walking the registered routes)',
  async t => {
    const { app, ports } = await buildTestApp(t)
    await app.ready()
    const posts = declaredLimits(app)
      .filter(route => route.method === 'POST' && route.url.startsWith('/console/'))
      .map(route => route.url)
    for (const known of [
      '/console/sign-in',
      '/console/second-factor',
      '/console/sign-out',
      '/console/members/:uuid/approve',
      '/console/catalogs/:kind/:uuid',
      '/console/staff/:id/disable',
      '/console/staff/:id/reset-password',
      '/console/password'
    ]) {
      t.ok(posts.includes(known), `${known} is walked`)
    }

    const admin = await addStaff(ports, 'admin')
    const signedIn = await signInStaff(app, ports, admin)
    // The sign-in form's own token is the pre-session cookie's; the second factor's, the half-way session's.
    const signInPage = await app.inject({ method: 'GET', url: '/console/sign-in' })
    const pre = cookieOf(signInPage.headers['set-cookie'], 'console-pre')!
    const password = await app.inject({
      method: 'POST',
      url: '/console/sign-in',
      ...withCookie(
        form({ email: admin.email, password: admin.password, _pre: hiddenField(signInPage.body, '_pre')! }),
        pre
      )
    })
    const halfway = cookieOf(password.headers['set-cookie'], 'console')!
    const cookieFor = (url: string) =>
      url === '/console/sign-in' ? pre : url === '/console/second-factor' ? halfway : signedIn.cookie!
    const tokenField = (url: string) => (url === '/console/sign-in' ? '_pre' : '_csrf')

    for (const route of posts) {
      const url = route.replace(/:(\w+)/g, (_, name: string) => PARAMS[name] ?? 'x')
      const send = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
        const request = withCookie(form({ ...FIELDS, ...fields }), cookieFor(route))
        return app.inject({ method: 'POST', url, ...request, headers: { ...request.headers, ...headers } })
      }
      t.equal((await send({})).statusCode, 403, `${route} without a token`)
      t.equal((await send({ [tokenField(route)]: 'A'.repeat(43) })).statusCode, 403, `${route} with a wrong token`)
      t.equal(
        (await send({ [tokenField(route)]: signedIn.csrf! }, { origin: 'https://evil.example' })).statusCode,
        403,
        `${route} from another origin`
      )
    }

    t.equal(
      (await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: signedIn.cookie! } })).statusCode,
      200,
      'no refused form changed the session'
    )
    t.same(
      (await ports.audit.list({ limit: 100 }))
        .filter(entry => entry.actor.kind === 'staff')
        .map(entry => entry.action)
        .filter(action => action !== 'staff.sign_in'),
      [],
      'and none reached a use-case'
    )
  }
)
