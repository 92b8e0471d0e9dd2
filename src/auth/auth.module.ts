import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthFailures } from './auth-failures';
import { AuthService } from './auth.service';
import { LoginAttempts } from './login-attempts';
import { SlowDown } from './slow-down';
import { Passwords } from './passwords';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { StaffSession } from './staff-session.entity';
import { StaffSessionsController } from './staff-sessions.controller';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { StaffSessionsService } from './staff-sessions.service';

/** Users, API keys, staff sessions (the admin's sign-in) and the authentication budgets; the guards (AppModule's APP_GUARDs) and the programme use the exported services. */
@Module({
  imports: [TypeOrmModule.forFeature([User, ApiKey, StaffSession])],
  controllers: [UsersController, StaffSessionsController],
  providers: [ApiKeysRepository, AuthService, AuthFailures, SlowDown, Passwords, LoginAttempts, UsersRepository, UsersService, StaffSessionsRepository, StaffSessionsService],
  exports: [AuthService, AuthFailures, Passwords, LoginAttempts, StaffSessionsService],
})
export class AuthModule {}
