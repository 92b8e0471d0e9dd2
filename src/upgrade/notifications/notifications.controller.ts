import { Body, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Roles } from '../../common/principal';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { NotificationView, TemplateInput, TemplateView } from './notifications.dto';
import { NotificationsService } from './notifications.service';
import { NOTIFICATION_KINDS } from './templates';

const KIND = ApiParam({ name: 'kind', description: 'Which e-mail.', enum: NOTIFICATION_KINDS, example: 'offer.created' });
const VARIABLES =
  'Variables: `tenant.name`, `customer.first_name`, `customer.last_name`, `customer.email`; offer mails `offer.*` (amount, amount_text, expires_at, expires_text, notes, submission_id); submission mails `submission.*` (id, status, make, model, carrier, tracking_number, inspected_grade, final_value_text, credit_type, credit_amount_text, credit_reference, …); `label_url` (the return label); password.reset `email`, `token`, `reset_url`, `valid_minutes`.';

@ProgramController('Customer programme — e-mail', '/admin')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notification-templates')
  @ProgramRoute('staff')
  @Doc('List the e-mail templates', `Every customer e-mail with the text in use: the tenant's own (customized) or the default. ${VARIABLES}`, {
    status: 200,
    type: [TemplateView],
    description: 'The templates.',
  })
  templates(@ProgramCaller() c: Caller) {
    return this.notifications.templates(c);
  }

  @Put('notification-templates/:kind')
  @ProgramRoute('staff')
  @Roles('admin')
  @KIND
  @Doc(
    'Set an e-mail template (admin)',
    `The tenant's own subject and body for one e-mail, used from the next mail sent. Mustache, rendered as plain text (values inserted as they are; a missing one renders empty); partials are refused. ${VARIABLES}`,
    { status: 200, type: TemplateView, description: 'The template now in use.' },
    [[422, 'Missing or too long fields, or a template that does not parse (the violation names the field and the fault).']],
  )
  @ApiBody({ type: TemplateInput })
  putTemplate(@ProgramCaller() c: Caller, @Param('kind') kind: string, @Body() input: TemplateInput) {
    return this.notifications.putTemplate(c, kind, input);
  }

  @Delete('notification-templates/:kind')
  @HttpCode(204)
  @ProgramRoute('staff')
  @Roles('admin')
  @KIND
  @Doc('Restore the default e-mail template (admin)', "Deletes the tenant's own text of this e-mail; the default is used again.", { status: 204, description: 'The default is in use.' })
  async resetTemplate(@ProgramCaller() c: Caller, @Param('kind') kind: string) {
    await this.notifications.resetTemplate(c, kind);
  }

  @Get('notifications')
  @ProgramRoute('staff')
  @Doc(
    'E-mail log',
    "The tenant's newest 200 customer e-mails: sent, pending (waiting for the job runner or for a retry after a failure, with the last error) or failed (given up after MAIL_MAX_ATTEMPTS).",
    { status: 200, type: [NotificationView], description: 'The e-mails, newest first.' },
  )
  log(@ProgramCaller() c: Caller) {
    return this.notifications.log(c);
  }
}
