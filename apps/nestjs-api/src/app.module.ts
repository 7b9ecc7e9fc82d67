import { Module } from '@nestjs/common'
import { APP_FILTER } from '@nestjs/core'
import { SecretsExceptionFilter, SecretsModule } from '@secretkit/nestjs'
import { secretsOptions } from './secrets'
import { WebhookController } from './webhook.controller'

@Module({
  imports: [SecretsModule.forRoot({ ...secretsOptions(), isGlobal: true })],
  controllers: [WebhookController],
  providers: [{ provide: APP_FILTER, useClass: SecretsExceptionFilter }],
})
export class AppModule {}
