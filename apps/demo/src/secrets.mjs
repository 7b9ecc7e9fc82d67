// The demo's secret store: only the built-in providers (files in ./secrets, then env vars),
// so it runs anywhere with no cloud account. Swap `file` for `aws` and nothing else changes.
import { fileURLToPath } from 'node:url'
import { createSecrets, envProvider, fileProvider } from '@secretkit/core'

/** The folder holding the committed, obviously fake example secrets. */
export const SECRETS_DIR = fileURLToPath(new URL('../secrets', import.meta.url))

/**
 * A hand-written Standard Schema (https://standardschema.dev): any zod, valibot or arktype
 * schema works the same way. It turns the text `"5432"` into the number 5432.
 *
 * @type {import('@standard-schema/spec').StandardSchemaV1<string, number>}
 */
export const portNumber = {
  '~standard': {
    version: 1,
    vendor: 'secretkit-demo',
    validate(value) {
      const port = Number(value)
      return Number.isInteger(port) && port > 0 && port < 65_536
        ? { value: port }
        : { issues: [{ message: 'expected a TCP port number (1-65535)' }] }
    },
  },
}

/** Builds the store; nothing is read until `load()`. */
export function createDemoSecrets() {
  return createSecrets({
    providers: {
      file: fileProvider({ dir: SECRETS_DIR }),
      // Only DEMO_* variables, so the demo never picks up an unrelated DB_PASSWORD.
      env: envProvider({ prefix: 'DEMO_' }),
    },
    secrets: {
      // Fallback chain: the file wins when it has the key; the variable DEMO_DB_PASSWORD otherwise.
      dbPassword: { from: ['file://db.env#DB_PASSWORD', 'env://DB_PASSWORD'] },
      // Schema: get('dbPort') is a number. Not a secret, so it is not scrubbed from logs.
      dbPort: { from: ['file://db.env#DB_PORT', 'env://DB_PORT'], schema: portNumber, sensitive: false },
      stripeKey: 'file://stripe.json#api_key',
      stripeWebhookSecret: 'file://stripe.json#webhook_secret',
      // There is no secrets/smtp.txt, so this one falls through to DEMO_SMTP_PASSWORD.
      smtpPassword: ['file://smtp.txt', 'env://SMTP_PASSWORD'],
      // Optional: absent, and load() still succeeds; get() returns undefined.
      sentryDsn: { from: 'env://SENTRY_DSN', optional: true },
    },
    cache: { ttl: '5m' },
  })
}
