import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthFailures } from './auth-failures';
import { AuthService } from './auth.service';
import { LoginAttempts } from './login-attempts';
import { Passwords } from './passwords';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Users, API keys and the authentication budgets; the guards (AppModule's APP_GUARDs) and the programme use the exported services. */
@Module({
  imports: [TypeOrmModule.forFeature([User, ApiKey])],
  controllers: [UsersController],
  providers: [ApiKeysRepository, AuthService, AuthFailures, Passwords, LoginAttempts, UsersRepository, UsersService],
  exports: [AuthService, AuthFailures, Passwords, LoginAttempts],
})
export class AuthModule {}
