import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/principal';
import { INVALIDATION_BUS, InvalidationBus } from '../common/invalidation';
import { problem, ProblemView, ViolationView } from '../common/openapi.decorators';
import { RedisConnections } from '../shared-state/redis.connections';

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(INVALIDATION_BUS) private readonly bus: InvalidationBus,
    @Optional() private readonly redis?: RedisConnections,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness and database check (no API key needed)',
    description: 'Answers 200 while the server runs and its database answers; 503 otherwise. For load balancers and container health checks.',
  })
  @ApiExtraModels(ProblemView, ViolationView)
  @problem(400, 'The request cannot be read (e.g. a malformed JSON body).')
  @problem(406, 'The Accept header asks for a format other than JSON.')
  @problem(413, 'The request body is larger than the limit.')
  @problem(415, 'The request body is in an unsupported character set or encoding.')
  @problem(429, 'Rate limit exceeded; see Retry-After.')
  check() {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 })];
    // Always "up": without Redis the instance keeps serving in its documented degraded mode, and a
    // load balancer that took every instance out when Redis fails would turn that into an outage.
    if (this.redis) checks.push(() => ({ redis: { status: 'up', shared: this.redis!.ready(), invalidationsHeard: this.bus.listening() } }));
    return this.health.check(checks);
  }
}
