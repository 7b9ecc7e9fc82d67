import 'reflect-metadata'
import { createHmac } from 'node:crypto'
import { BadRequestException, Controller, Get, type INestApplication, Logger } from '@nestjs/common'
import { APP_FILTER } from '@nestjs/core'
import { ExpressAdapter } from '@nestjs/platform-express'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import { Test } from '@nestjs/testing'
import type { SecretStore } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import {
  InjectSecret,
  ScrubbingLogger,
  SECRETS_STORE,
  type SecretRef,
  SecretsExceptionFilter,
  SecretsModule,
} from '../src/index.js'
import { CANARY, CapturingLogger } from './support/fixtures.js'

@Controller()
class WebhookController {
  readonly #logger = new Logger(WebhookController.name)
  constructor(@InjectSecret('webhookKey') private readonly key: SecretRef) {}

  @Get('sign')
  sign(): { signature: string } {
    return { signature: createHmac('sha256', this.key.value).update('payload').digest('hex') }
  }

  @Get('http-error')
  httpError(): never {
    throw new BadRequestException(`the key ${this.key.value} was rejected`)
  }

  @Get('http-error-object')
  httpErrorObject(): never {
    throw new BadRequestException({ message: 'rejected', key: this.key.value, nested: [this.key.value] })
  }

  @Get('crash')
  crash(): never {
    throw new Error(`signing with ${this.key.value} failed`, {
      cause: new Error(`upstream said ${this.key.value}`),
    })
  }

  @Get('log')
  log(): string {
    this.#logger.error(`logging the key ${this.key.value}`, { key: this.key.value })
    this.#logger.warn(new Error(`warned ${this.key.value}`))
    return 'logged'
  }
}

const platforms = {
  express: () => new ExpressAdapter(),
  fastify: () => new FastifyAdapter(),
}

let app: INestApplication | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
})

async function start(
  platform: keyof typeof platforms,
  logging: 'scrubbing' | 'plain',
): Promise<{ url: string; logs: CapturingLogger; store: SecretStore }> {
  const up = createTestingProvider({ secrets: { 'webhook/key': CANARY } })
  const moduleRef = await Test.createTestingModule({
    imports: [SecretsModule.forRoot({ providers: { up }, secrets: { webhookKey: 'up://webhook/key' } })],
    controllers: [WebhookController],
    providers: [{ provide: APP_FILTER, useClass: SecretsExceptionFilter }],
  }).compile()
  const logs = new CapturingLogger()
  app = moduleRef.createNestApplication(platforms[platform](), { logger: logs })
  const store = app.get<SecretStore>(SECRETS_STORE)
  if (logging === 'scrubbing') app.useLogger(new ScrubbingLogger(store, logs))
  await app.listen(0, '127.0.0.1')
  const address = app.getHttpServer().address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, logs, store }
}

describe.each(Object.keys(platforms) as (keyof typeof platforms)[])('on %s', (platform) => {
  it('serves a value derived from the injected secret', async () => {
    const { url } = await start(platform, 'scrubbing')
    const response = await fetch(`${url}/sign`)
    expect(await response.json()).toEqual({
      signature: createHmac('sha256', CANARY).update('payload').digest('hex'),
    })
  })

  it('scrubs HttpException bodies', async () => {
    const { url, logs } = await start(platform, 'scrubbing')
    const text = await (await fetch(`${url}/http-error`)).text()
    expect(JSON.parse(text)).toMatchObject({ statusCode: 400, message: 'the key [redacted] was rejected' })
    const objectBody = await (await fetch(`${url}/http-error-object`)).json()
    expect(objectBody).toEqual({ message: 'rejected', key: '[redacted]', nested: ['[redacted]'] })
    expect(logs.text).not.toContain(CANARY)
  })

  it('scrubs what the exception filter logs even without the scrubbing logger', async () => {
    const { url, logs } = await start(platform, 'plain')
    const response = await fetch(`${url}/crash`)
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(body).not.toContain(CANARY)
    expect(logs.text).toContain('signing with [redacted] failed')
    expect(logs.text).toContain('upstream said [redacted]')
    expect(logs.text).not.toContain(CANARY)
  })

  it('scrubs application log lines through ScrubbingLogger', async () => {
    const { url, logs } = await start(platform, 'scrubbing')
    expect(await (await fetch(`${url}/log`)).text()).toBe('logged')
    expect(logs.text).toContain('logging the key [redacted]')
    expect(logs.text).toContain('warned [redacted]')
    expect(logs.text).not.toContain(CANARY)
  })
})
