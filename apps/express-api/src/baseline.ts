import express, { type Express } from 'express'
import { payloadOf, signPayload } from './sign.js'

/**
 * The same signing route without secretkit: the key is passed in once. The benchmark compares
 * this app with {@link createApp} to price the integration.
 */
export function createBaselineApp(webhookKey: string): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(express.json())
  app.post('/webhooks/sign', (req, res) => {
    const payload = payloadOf(req.body)
    if (payload === undefined) {
      res.status(400).json({ error: { status: 400, message: 'send {"payload": "<text>"}' } })
      return
    }
    res.json({ signature: signPayload(webhookKey, payload) })
  })
  return app
}
