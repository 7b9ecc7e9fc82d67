// Bench server for nestjs.mjs: the same Nest app signing webhooks, with the key either from
// @secretkit/nestjs (MODE=secretkit: SecretsModule, @InjectSecret ref, SecretsExceptionFilter,
// ScrubbingLogger) or passed in directly (MODE=direct). CommonJS on purpose: the default Nest
// CLI output, loading the ESM packages through require().
const { createHmac } = require('node:crypto')
const { readFileSync } = require('node:fs')
const { createRequire } = require('node:module')
const { join } = require('node:path')

const appRequire = createRequire(join(__dirname, '../../../apps/nestjs-api/package.json'))
appRequire('reflect-metadata')
const { Body, Controller, HttpCode, Inject, Module, Post } = appRequire('@nestjs/common')
const { APP_FILTER, NestFactory } = appRequire('@nestjs/core')
const { fileProvider } = appRequire('@secretkit/core')
const { InjectSecret, ScrubbingLogger, SecretsExceptionFilter, SecretsModule } =
  appRequire('@secretkit/nestjs')

const { MODE, PLATFORM, SECRETS_DIR } = process.env
const decorate = (decorators, target, key, descriptor) =>
  Reflect.decorate(decorators, target, key, descriptor)
const param = (index, decorator) => (target, key) => decorator(target, key, index)

class WebhookController {
  constructor(key) {
    this.key = key
  }
  sign(body) {
    const key = MODE === 'secretkit' ? this.key.value : this.key
    return { signature: createHmac('sha256', key).update(body.payload).digest('hex') }
  }
}
decorate(
  [Post('sign'), HttpCode(200), param(0, Body())],
  WebhookController.prototype,
  'sign',
  Object.getOwnPropertyDescriptor(WebhookController.prototype, 'sign'),
)
const keyToken = MODE === 'secretkit' ? InjectSecret('webhookKey') : Inject('WEBHOOK_KEY')
const Webhooks = decorate([Controller('webhooks'), param(0, keyToken)], WebhookController)

const AppModule = decorate(
  [
    Module(
      MODE === 'secretkit'
        ? {
            imports: [
              SecretsModule.forRoot({
                providers: { file: fileProvider({ dir: SECRETS_DIR }) },
                secrets: { webhookKey: 'file://webhook-key.txt' },
              }),
            ],
            controllers: [Webhooks],
            providers: [{ provide: APP_FILTER, useClass: SecretsExceptionFilter }],
          }
        : {
            controllers: [Webhooks],
            providers: [
              {
                provide: 'WEBHOOK_KEY',
                useValue: readFileSync(join(SECRETS_DIR, 'webhook-key.txt'), 'utf8').trim(),
              },
            ],
          },
    ),
  ],
  class AppModule {},
)

async function main() {
  const adapter =
    PLATFORM === 'fastify'
      ? new (appRequire('@nestjs/platform-fastify').FastifyAdapter)()
      : new (appRequire('@nestjs/platform-express').ExpressAdapter)()
  const app = await NestFactory.create(AppModule, adapter, { logger: ['error'], bufferLogs: true })
  if (MODE === 'secretkit') {
    const logger = app.get(ScrubbingLogger)
    logger.setLogLevels(['error'])
    app.useLogger(logger)
  }
  await app.listen(0, '127.0.0.1')
  console.log(`listening on http://127.0.0.1:${app.getHttpServer().address().port}`)
}

void main()
