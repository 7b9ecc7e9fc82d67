// secretkit demo: load declared secrets from files and env vars, then show where each came
// from — names, sources, versions, states, never a value.
import { isSecretkitError } from '@secretkit/core'
import { createDemoSecrets, SECRETS_DIR } from './secrets.mjs'

// Stands in for a variable your platform would set (Kubernetes, systemd, CI). Obviously fake.
process.env.DEMO_SMTP_PASSWORD ??= 'demo-smtp-only-not-a-secret'

const secrets = createDemoSecrets()
try {
  await secrets.load()

  console.log(`secretkit demo — secrets from ${SECRETS_DIR} and DEMO_* environment variables\n`)
  console.log(
    table(
      ['name', 'state', 'source', 'provider', 'version'],
      secrets
        .status()
        .map((status) => [
          status.name,
          status.state,
          status.source ?? '(none: optional, not set)',
          status.provider ?? '-',
          status.version ?? '-',
        ]),
    ),
  )

  // Typed values are ready synchronously. Use them; don't print them.
  const port = secrets.get('dbPort')
  console.log(`\ndbPort passed its schema: ${typeof port === 'number' ? 'a number' : 'NOT a number'}`)
  console.log(
    `sentryDsn is ${secrets.get('sentryDsn') === undefined ? 'not configured (optional)' : 'configured'}`,
  )

  // Per-tenant lookup, seed 003 naming: {dir}/acme/stripe.json, then DEMO_ACME_STRIPE, then DEMO_STRIPE.
  const acme = await secrets.tenant('acme').lookup('stripe#api_key')
  console.log(`\ntenant acme: stripe#api_key resolved from ${acme.source} (value not printed)`)
  const acmeKey = acme.value.reveal()
  try {
    secrets.tenant('../globex')
  } catch (error) {
    console.log(`tenant "../globex" refused: ${isSecretkitError(error) ? error.code : 'unexpected error'}`)
  }

  // Log lines pass through scrub(): every value the store handed out becomes [redacted].
  console.log(`\nlog: ${secrets.scrub(`connecting to postgres with password ${secrets.get('dbPassword')}`)}`)
  console.log(`log: ${secrets.scrub(`stripe webhook verified with ${secrets.get('stripeWebhookSecret')}`)}`)
  console.log(`log: tenant key ${secrets.scrub(acmeKey)}; stripe key ${secrets.redacted('stripeKey')}`)
} catch (error) {
  // secretkit errors name secrets, references and fixes, never values: safe to print.
  console.error(isSecretkitError(error) ? error.message : error)
  process.exitCode = 1
} finally {
  await secrets.close()
}

/**
 * @param {string[]} header
 * @param {string[][]} rows
 */
function table(header, rows) {
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index]?.length ?? 0)),
  )
  /** @param {string[]} row */
  const line = (row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}
