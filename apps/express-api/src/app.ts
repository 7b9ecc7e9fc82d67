import { attachSecrets, secretsErrorHandler } from '@secretkit/express'
import express, { type Express } from 'express'
import type { AppSecrets } from './secrets.js'
import { payloadOf, signPayload, tokenMatches } from './sign.js'

/** The sample app: signs webhook payloads with a secret key that may rotate at any time. */
export function createApp(secrets: AppSecrets): Express {
  const app = express()
  app.disable('x-powered-by')
  attachSecrets(app, secrets)
  app.use(express.json())

  app.post('/webhooks/sign', (req, res) => {
    const payload = payloadOf(req.body)
    if (payload === undefined) {
      res.status(400).json({ error: { status: 400, message: 'send {"payload": "<text>"}' } })
      return
    }
    res.json({ signature: signPayload(req.secrets.get('webhookKey'), payload) })
  })

  // Names, sources, versions and ages of the secrets (never values), for operators.
  app.get('/admin/secrets', (req, res) => {
    const token = req.get('authorization')?.replace(/^Bearer /, '')
    if (!tokenMatches(token, req.secrets.get('adminToken'))) {
      res.status(401).json({ error: { status: 401, message: 'Unauthorized' } })
      return
    }
    res.json(
      req.secrets
        .status()
        .map(({ name, state, source, version, ageMs }) => ({ name, state, source, version, ageMs })),
    )
  })

  // Demo routes: a handler bug that puts the key in an error. secretsErrorHandler scrubs it.
  app.get('/debug/leak', (req) => {
    throw new Error(`upstream rejected webhook key ${req.secrets.get('webhookKey')}`)
  })
  app.get('/debug/leak-exposed', (req) => {
    const key = req.secrets.get('webhookKey')
    throw Object.assign(new Error(`signature made with ${key} did not verify`), {
      status: 422,
      code: 'SIGNATURE_MISMATCH',
      details: { keyTried: key },
    })
  })

  app.use(secretsErrorHandler(secrets))
  return app
}
