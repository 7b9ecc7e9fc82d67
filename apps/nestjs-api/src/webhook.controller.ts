import { createHmac } from 'node:crypto'
import { BadRequestException, Body, Controller, Get, HttpCode, Post } from '@nestjs/common'
import { InjectSecret, type SecretRef } from '@secretkit/nestjs'

interface SignRequest {
  payload: string
}

@Controller('webhooks')
export class WebhookController {
  constructor(@InjectSecret('webhookKey') private readonly key: SecretRef) {}

  /** HMAC-SHA256 of the payload with the current webhook key (rotation is picked up live). */
  @Post('sign')
  @HttpCode(200)
  sign(@Body() body: SignRequest): { signature: string } {
    if (typeof body?.payload !== 'string') throw new BadRequestException('payload must be a string')
    return { signature: createHmac('sha256', this.key.value).update(body.payload).digest('hex') }
  }

  /** A bug that puts the key into an error: the exception filter and logger scrub it. */
  @Get('crash')
  crash(): never {
    throw new Error(`could not sign with key ${this.key.value}`)
  }

  /** A client error whose body would echo the key: the exception filter scrubs the response. */
  @Get('reject')
  reject(): never {
    throw new BadRequestException(`key ${this.key.value} does not match`)
  }
}
