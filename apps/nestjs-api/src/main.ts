import 'reflect-metadata'
import type { AddressInfo } from 'node:net'
import type { INestApplication } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { ExpressAdapter } from '@nestjs/platform-express'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import { ScrubbingLogger } from '@secretkit/nestjs'
import { AppModule } from './app.module'

/**
 * Starts the API on `HOST:PORT` (default 127.0.0.1:3000) with Express, or Fastify when
 * `PLATFORM=fastify`. A missing required secret fails `NestFactory.create`: Nest logs the
 * `SecretsLoadError` (one line per secret) and exits with code 1.
 */
async function bootstrap(): Promise<void> {
  const adapter = process.env.PLATFORM === 'fastify' ? new FastifyAdapter() : new ExpressAdapter()
  const app: INestApplication = await NestFactory.create(AppModule, adapter, { bufferLogs: true })
  app.useLogger(app.get(ScrubbingLogger))
  app.enableShutdownHooks()
  await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1')
  const { address, port } = app.getHttpServer().address() as AddressInfo
  console.log(`nestjs-api listening on http://${address}:${port}`)
}

void bootstrap()
