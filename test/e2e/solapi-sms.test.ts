import t from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startSolapiStandIn } from '../helpers/sms-stand-ins.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

const credentials = { apiKey: 'NCSE2EAPIKEY0001', apiSecret: 'solapi-e2e-secret-0001' }
const SENDER = '0212345678'

t.test(
  'SMS_PROVIDER=solapi: a phone member signs in with the code Solapi was asked to text',
  { skip: noPg || noRedis },
  async t => {
    const solapi = await startSolapiStandIn(t, credentials)
    const { call, logs } = await startServiceOnPostgresAndRedis(t, {
      ADMIN_API_KEY: ADMIN_KEY,
      SMS_PROVIDER: 'solapi',
      SOLAPI_API_KEY: credentials.apiKey,
      SOLAPI_API_SECRET: credentials.apiSecret,
      SOLAPI_SENDER: '02-1234-5678',
      SOLAPI_BASE_URL: solapi.origin
    })

    const body = registration()
    const signup = await call('POST', '/api/registration/', { body })
    t.equal(signup.status, 201)
    t.equal((await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)

    t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
    t.equal(solapi.delivered.length, 1, 'one text reached Solapi')
    const [text] = solapi.delivered
    t.equal(text?.to, body.mobile, "the member's national number")
    t.equal(text?.from, SENDER, 'the registered sender number')
    t.same(solapi.rejectedSignatures, [], 'the request was signed with the secret')

    const code = solapi.lastCodeSentTo(body.mobile)
    t.match(code, /^\d{6}$/)
    t.notOk(logs.text.includes(code!), 'the code is not in the service log')
    const session = await call('POST', '/api/token/', { body: { mobile: '+82' + body.mobile.slice(1), token: code } })
    t.equal(session.status, 200)
    t.equal(session.body.user.uuid, signup.body.user.uuid)

    solapi.setMode({ refuse: 500 })
    const member = registration()
    const second = await call('POST', '/api/registration/', { body: member })
    await call('POST', `/admin/users/${second.body.user.uuid}/approve`, { headers: admin })
    const outage = await call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile } })
    t.equal(outage.status, 503, 'Solapi refusing is 503 sms_unavailable')
    t.notOk(logs.text.includes('refused: '), "Solapi's error message (which echoes the text) is not logged")
  }
)
