import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res, StreamableFile, Type, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtraModels, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import multer from 'multer';
import { Public, Roles } from '../common/principal';
import { AppConfig, APP_CONFIG } from '../config';
import { AcceptsContent, IgnoresAccept } from '../common/media-types.guard';
import { ApiError, badRequest } from '../common/errors';
import { ProblemView, ViolationView } from '../common/openapi.decorators';
import { validateObject } from '../common/validation';
import { AdminService } from './admin.service';
import {
  CompleteInput,
  InspectInput,
  LoginInput,
  ModifiersInput,
  ModifiersView,
  OfferInput,
  OfferResponseInput,
  OfferView,
  PhotoUploadInput,
  PhotoView,
  ProfileInput,
  ProfileView,
  ProgramCustomerView,
  RegisterInput,
  RegistrationView,
  SessionView,
  ShipInput,
  StatsView,
  SubmissionInput,
  SubmissionView,
  ValuationInput,
  ValuationView,
} from './program.dto';
import { Audiences, Caller, ProgramCaller, ProgramGuard } from './program.guard';
import { ProgramService } from './program.service';
import { SessionsService } from './sessions.service';

const TENANT = ApiParam({ name: 'tenant', description: "The tenant's slug (must be the caller's tenant, otherwise 404). The bootstrap tenant is `default`.", example: 'default' });

const problem = (status: number, description: string) => ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } } });

/** Responses of a programme route: plain JSON (the document's format); errors as problem+json. */
function Doc(summary: string, description: string, ok: { status: number; type?: Type<unknown> | [Type<unknown>]; description: string }, errors: [number, string][] = []) {
  const isArray = Array.isArray(ok.type);
  const model = isArray ? (ok.type as [Type<unknown>])[0] : (ok.type as Type<unknown> | undefined);
  return applyDecorators(
    ApiOperation({ summary, description }),
    TENANT,
    ApiExtraModels(ProblemView, ViolationView, ...(model ? [model] : [])),
    ApiResponse({
      status: ok.status,
      description: ok.description,
      ...(model ? { content: { 'application/json': { schema: isArray ? { type: 'array', items: { $ref: getSchemaPath(model) } } : { $ref: getSchemaPath(model) } } } } : {}),
    }),
    problem(404, "Unknown tenant slug, a tenant that is not the caller's, or a resource that is not the caller's."),
    ...errors.map(([s, d]) => problem(s, d)),
  );
}

const CUSTOMER = () =>
  applyDecorators(ApiBearerAuth('CustomerSession'), problem(401, 'Missing, invalid, expired or logged-out session token.'), problem(403, 'A staff X-API-Key was sent to a customer-only route.'));
const STAFF = () => applyDecorators(ApiSecurity('ApiKey'), problem(401, 'Missing or invalid X-API-Key.'), problem(403, "The key's user may not do this."));
const EITHER = () =>
  applyDecorators(
    ApiBearerAuth('CustomerSession'),
    ApiSecurity('ApiKey'),
    problem(401, 'Neither a valid session token nor a valid X-API-Key.'),
    problem(403, 'The caller may not do this (e.g. a readonly key writing).'),
  );
const NO_AUTH = () => ApiSecurity({});

const SUBMISSION_EXAMPLE = { product_id: 'prod_123', serial_number: 'SN-12345678', condition: 'good', description: 'Minor scratches on grip', photos: ['photo_abc', 'photo_def'] };
const OFFER_EXAMPLE = { submission_id: 'sub_123', amount: 350.0, notes: 'Based on good condition assessment', expires_at: '2024-02-01T00:00:00Z' };

@ApiTags('Customer programme — accounts')
@Public()
@IgnoresAccept()
@UseGuards(ProgramGuard)
@Controller('api/:tenant')
export class ProgramAuthController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('auth/register')
  @HttpCode(202)
  @Audiences('anonymous')
  @NO_AUTH()
  @Doc(
    'Customer registration',
    "Creates the account (password hashed with argon2id) and a dealer-side customer record; then log in with auth/login. The answer is the same whether or not the e-mail already had an account (nothing is created then, and the password sent is ignored), so registration does not tell which e-mails are registered. Each registration spends one of the address's password checks (PASSWORD_CHECKS_PER_IP a minute).",
    { status: 202, type: RegistrationView, description: 'Accepted: the account exists now (new, or from before).' },
    [
      [422, 'Invalid fields (violations name them).'],
      [429, 'The address has used its password checks for this minute (Retry-After, X-RateLimit-*).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: RegisterInput })
  register(@ProgramCaller() c: Caller, @Body() body: unknown, @Req() req: Request) {
    return this.sessions.register(c.tenant, validateObject(RegisterInput, body), req.ip ?? '');
  }

  @Post('auth/login')
  @HttpCode(200)
  @Audiences('anonymous')
  @NO_AUTH()
  @Doc(
    'Customer login',
    "Answers with a new session token (send it as `Authorization: Bearer <token>`). After LOGIN_MAX_FAILURES (5) wrong passwords in a row for one e-mail from one address, that address waits LOGIN_BACKOFF_SECONDS (30 s), doubling with each further lock up to LOGIN_LOCK_SECONDS (15 min) — even for the right password. Other addresses the customer has logged in from are not affected. Each login spends one of the address's password checks (PASSWORD_CHECKS_PER_IP a minute).",
    { status: 200, type: SessionView, description: 'Logged in.' },
    [
      [401, 'Wrong e-mail or password.'],
      [422, 'Malformed fields (e.g. an e-mail or password longer than allowed).'],
      [429, 'Locked after repeated failed logins, or the address has used its password checks (Retry-After, X-RateLimit-*).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: LoginInput })
  login(@ProgramCaller() c: Caller, @Body() body: unknown, @Req() req: Request) {
    return this.sessions.login(c.tenant, validateObject(LoginInput, body), req.ip ?? '');
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Audiences('customer')
  @CUSTOMER()
  @Doc('Logout', 'Revokes the session token used for this request.', { status: 204, description: 'Logged out.' })
  async logout(@ProgramCaller() c: Caller) {
    await this.sessions.logout(c.customer!);
  }

  @Get('auth/me')
  @Audiences('customer')
  @CUSTOMER()
  @Doc('Current customer', "The logged-in customer's profile.", { status: 200, type: ProfileView, description: 'The profile.' })
  me(@ProgramCaller() c: Caller) {
    return this.sessions.profile(c.customer!);
  }

  @Get('profile')
  @Audiences('customer')
  @CUSTOMER()
  @Doc('Get the profile', 'Same as auth/me.', { status: 200, type: ProfileView, description: 'The profile.' })
  profile(@ProgramCaller() c: Caller) {
    return this.sessions.profile(c.customer!);
  }

  @Put('profile')
  @Audiences('customer')
  @CUSTOMER()
  @Doc(
    'Update the profile',
    'Only the fields sent change; null clears an optional field. The dealer-side customer record changes with it.',
    { status: 200, type: ProfileView, description: 'The updated profile.' },
    [[422, 'Invalid fields.']],
  )
  @ApiBody({ type: ProfileInput })
  updateProfile(@ProgramCaller() c: Caller, @Body() body: unknown) {
    return this.sessions.updateProfile(c.customer!, validateObject(ProfileInput, body));
  }
}

@ApiTags('Customer programme — submissions and offers')
@Public()
@IgnoresAccept()
@UseGuards(ProgramGuard)
@Controller('api/:tenant')
export class ProgramSubmissionsController {
  constructor(private readonly program: ProgramService) {}

  @Get('submissions')
  @Audiences('customer', 'staff')
  @EITHER()
  @Doc(
    'List submissions',
    "Customers see their own; staff (X-API-Key) see all of the tenant's. Newest first; `page`, `itemsPerPage` (≤ 100) and `status` (programme status, repeatable as status[]) as for every collection. Totals in X-Total-Count, page links in Link.",
    { status: 200, type: [SubmissionView], description: 'A page of submissions.' },
    [[400, 'Bad page, itemsPerPage or status.']],
  )
  list(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.program.list(req, c);
  }

  @Post('submissions')
  @Audiences('customer')
  @CUSTOMER()
  @Doc(
    'Create a submission (draft)',
    "A submission is a trade-in (status not_done; the customer is the account's customer record; description → note; serial_number kept as is and, when it is a VIN, also vehicleModel.vinCode; product_id → a valuation whose make/model fill the vehicle). Photos must be the caller's uploads. The automatic quote is computed at once.",
    { status: 201, type: SubmissionView, description: 'Created; Location is its URL.' },
    [[422, 'Invalid fields, unknown photos or location (violations name them).']],
  )
  @ApiBody({ type: SubmissionInput, examples: { document: { summary: "The document's example", value: SUBMISSION_EXAMPLE } } })
  create(@ProgramCaller() c: Caller, @Body() body: unknown) {
    return this.program.create(c, body);
  }

  @Get('submissions/:id')
  @Audiences('customer', 'staff')
  @EITHER()
  @ApiParam({ name: 'id', description: 'Submission id (sub_123 or 123).', example: 'sub_123' })
  @Doc('Get a submission', 'Also visible, as the same trade-in, at /api/v3/trade-ins/{id} (field `program`).', { status: 200, type: SubmissionView, description: 'The submission.' })
  get(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.program.get(c, id);
  }

  @Put('submissions/:id')
  @Audiences('customer')
  @CUSTOMER()
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Update a draft submission',
    'Only the fields sent change (null clears); `photos`, when sent, becomes the list of attached photos. Only drafts can change (409 otherwise).',
    { status: 200, type: SubmissionView, description: 'Updated.' },
    [
      [409, 'Not a draft any more.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: SubmissionInput })
  update(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() body: unknown) {
    return this.program.update(c, id, body);
  }

  @Post('submissions/:id')
  @HttpCode(200)
  @Audiences('customer')
  @CUSTOMER()
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Submit for review',
    'draft → submitted (trade-in not_done → ready_for_appraisal, same requirements: condition, make, model, first_registration_date, mileage, serial_number or reg_nr, location_id when the dealer has several locations). Repeating it is a no-op.',
    { status: 200, type: SubmissionView, description: 'Submitted.' },
    [
      [409, 'Not a draft.'],
      [422, 'Missing information (violations name the fields).'],
    ],
  )
  submit(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.program.submit(c, id);
  }

  @Post('submissions/:id/ship')
  @HttpCode(200)
  @Audiences('customer', 'staff')
  @EITHER()
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Ship (kit or return label)',
    'accepted → shipped (trade-in purchase_agreement → shipped). The owner or staff (admin, manager).',
    { status: 200, type: SubmissionView, description: 'Shipped.' },
    [
      [409, 'Not accepted yet, or already shipped.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: ShipInput })
  ship(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() body: unknown) {
    return this.program.ship(c, id, body);
  }

  @Post('submissions/:id/receive')
  @HttpCode(200)
  @Audiences('staff')
  @Roles('admin', 'manager')
  @STAFF()
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc('Mark as received (staff)', 'shipped → received.', { status: 200, type: SubmissionView, description: 'Received.' }, [[409, 'Not shipped, or already received.']])
  receive(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.program.receive(c, id);
  }

  @Post('submissions/:id/inspect')
  @HttpCode(200)
  @Audiences('staff')
  @Roles('admin', 'manager')
  @STAFF()
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Inspect (staff)',
    'received → inspected: records the grade found and the final value. Without final_value: the accepted offer when the grade is the declared one, else offer × modifier(found) ÷ modifier(declared), in exact cents.',
    { status: 200, type: SubmissionView, description: 'Inspected.' },
    [
      [409, 'Not received, or already inspected.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: InspectInput })
  inspect(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() body: unknown) {
    return this.program.inspect(c, id, body);
  }

  @Post('submissions/:id/complete')
  @HttpCode(200)
  @Audiences('staff')
  @Roles('admin', 'manager')
  @STAFF()
  @ApiParam({ name: 'id', description: 'Submission id.', example: 'sub_123' })
  @Doc(
    'Complete and issue the credit (staff)',
    'inspected → completed: issues the final value as store credit or refund, once and only once (a second call → 409).',
    { status: 200, type: SubmissionView, description: 'Completed.' },
    [
      [409, 'Not inspected, or already completed.'],
      [422, 'Invalid fields.'],
    ],
  )
  @ApiBody({ type: CompleteInput })
  complete(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() body: unknown) {
    return this.program.complete(c, id, body);
  }

  @Post('offers')
  @Audiences('staff')
  @Roles('admin', 'manager')
  @STAFF()
  @Doc(
    'Create an offer (admin)',
    'On a submitted or offered submission. The amount becomes the trade-in purchasePrice; the trade-in moves through done to sent_to_customer (a pending earlier offer is superseded). The answer shows the automatic quote (quoted_value). An expires_at in the past is accepted, but such an offer cannot be accepted.',
    { status: 201, type: OfferView, description: 'Created; Location is its URL.' },
    [
      [409, 'The submission is not awaiting an offer.'],
      [422, 'Invalid fields or incomplete vehicle data.'],
    ],
  )
  @ApiBody({ type: OfferInput, examples: { document: { summary: "The document's example", value: OFFER_EXAMPLE } } })
  createOffer(@ProgramCaller() c: Caller, @Body() body: unknown) {
    return this.program.createOffer(c, body);
  }

  @Get('offers')
  @Audiences('customer', 'staff')
  @EITHER()
  @Doc('List offers', 'Customers see only offers on their own submissions (newest first, at most 500).', { status: 200, type: [OfferView], description: 'The offers.' })
  listOffers(@ProgramCaller() c: Caller) {
    return this.program.listOffers(c);
  }

  @Get('offers/:id')
  @Audiences('customer', 'staff')
  @EITHER()
  @ApiParam({ name: 'id', description: 'Offer id (off_7 or 7).', example: 'off_7' })
  @Doc('Get an offer', 'Customers: only their own.', { status: 200, type: OfferView, description: 'The offer.' })
  getOffer(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.program.getOffer(c, id);
  }

  @Post('offers/:id')
  @HttpCode(200)
  @Audiences('customer')
  @CUSTOMER()
  @ApiParam({ name: 'id', description: 'Offer id.', example: 'off_7' })
  @Doc(
    'Accept or decline an offer (customer)',
    'accept: offered → accepted (trade-in purchase_agreement); 409 when the offer has expired. decline: → declined (trade-in no_deal, rejectReason price_too_low, the reason in rejectReasonMetaText and on the offer).',
    { status: 200, type: OfferView, description: 'Answered.' },
    [
      [409, 'Expired, already answered or superseded.'],
      [422, 'Invalid action.'],
    ],
  )
  @ApiBody({ type: OfferResponseInput })
  respond(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() body: unknown) {
    return this.program.respond(c, id, body);
  }
}

@ApiTags('Customer programme — photos')
@Public()
@IgnoresAccept()
@UseGuards(ProgramGuard)
@Controller('api/:tenant')
export class ProgramPhotosController {
  constructor(
    private readonly program: ProgramService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('photos')
  @Audiences('customer')
  @AcceptsContent('multipart/form-data')
  @CUSTOMER()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PhotoUploadInput })
  @Doc(
    'Upload a photo',
    'multipart/form-data with the file in field `photo` (and optionally `picture_type`, the angle). JPEG, PNG or WebP, recognised by content; at most PHOTO_MAX_BYTES (10 MB). Stored on local disk (UPLOAD_DIR) and addressed as PUBLIC_BASE_URL/api/{tenant}/photos/{id}.',
    { status: 201, type: PhotoView, description: 'Stored.' },
    [
      [400, 'No file in field "photo", or a malformed multipart body.'],
      [413, 'Larger than the limit.'],
      [415, 'Not multipart/form-data.'],
      [422, 'Not a JPEG, PNG or WebP image, or an unknown picture_type.'],
    ],
  )
  async upload(@Req() req: Request, @Res({ passthrough: true }) res: Response, @ProgramCaller() c: Caller) {
    const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: this.config.photoMaxBytes, files: 1, fields: 5, parts: 6 } }).single('photo');
    await new Promise<void>((resolve, reject) =>
      upload(req, res, (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof multer.MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE') return reject(new ApiError(413, `The photo is larger than the ${this.config.photoMaxBytes} bytes allowed.`));
          if (err.code === 'LIMIT_UNEXPECTED_FILE') return reject(badRequest(`Send exactly one file, in the field "photo" (got "${String(err.field ?? '').slice(0, 40)}").`));
          return reject(badRequest(`The multipart body was refused: ${err.message}.`));
        }
        reject(badRequest('The multipart body could not be read.'));
      }),
    );
    const file = (req as Request & { file?: { buffer: Buffer; size: number } }).file;
    return this.program.upload(c, file, (req.body as Record<string, unknown> | undefined)?.picture_type);
  }

  @Get('photos/:id')
  @Audiences('customer', 'staff')
  @EITHER()
  @ApiParam({ name: 'id', description: 'Photo id.', example: 'photo_abc' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @Doc('Get a photo', "The image bytes, for its owner (Bearer) or the tenant's staff (X-API-Key). This URL is also the trade-in picture URL.", { status: 200, description: 'The image.' })
  async photo(@ProgramCaller() c: Caller, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const { data, contentType } = await this.program.photo(c, id);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(data, { type: contentType, length: data.length });
  }
}

@ApiTags('Customer programme — admin')
@Public()
@IgnoresAccept()
@UseGuards(ProgramGuard)
@Audiences('staff')
@Controller('api/:tenant/admin')
export class ProgramAdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly program: ProgramService,
  ) {}

  @Get('valuations')
  @STAFF()
  @Doc('List valuations', 'Filters: product_id (exact), make, model (partial); order[id|make|model|year_from|base_value]; page, itemsPerPage.', {
    status: 200,
    type: [ValuationView],
    description: 'A page of valuations.',
  })
  list(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.admin.listValuations(req, c);
  }

  @Post('valuations')
  @Roles('admin', 'manager')
  @STAFF()
  @Doc('Create a valuation', 'Base value per make/model/year range, optionally with a product_id.', { status: 201, type: ValuationView, description: 'Created.' }, [
    [409, 'product_id already used.'],
    [422, 'Invalid fields.'],
  ])
  @ApiBody({ type: ValuationInput })
  create(@ProgramCaller() c: Caller, @Body() body: unknown) {
    return this.admin.createValuation(c, body);
  }

  @Get('valuations/:id')
  @STAFF()
  @ApiParam({ name: 'id', description: 'Valuation id.', example: '3' })
  @Doc('Get a valuation', 'One valuation.', { status: 200, type: ValuationView, description: 'The valuation.' })
  get(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.admin.getValuation(c, id);
  }

  @Put('valuations/:id')
  @Roles('admin', 'manager')
  @STAFF()
  @ApiParam({ name: 'id', description: 'Valuation id.', example: '3' })
  @Doc('Replace a valuation', 'Every required field again. Quotes already made keep their value.', { status: 200, type: ValuationView, description: 'Updated.' }, [
    [409, 'product_id already used.'],
    [422, 'Invalid fields.'],
  ])
  @ApiBody({ type: ValuationInput })
  update(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() body: unknown) {
    return this.admin.updateValuation(c, id, body);
  }

  @Delete('valuations/:id')
  @HttpCode(204)
  @Roles('admin', 'manager')
  @STAFF()
  @ApiParam({ name: 'id', description: 'Valuation id.', example: '3' })
  @Doc('Delete a valuation', 'Quotes made from it keep their value.', { status: 204, description: 'Deleted.' })
  async remove(@ProgramCaller() c: Caller, @Param('id') id: string) {
    await this.admin.deleteValuation(c, id);
  }

  @Get('condition-modifiers')
  @STAFF()
  @Doc('Condition modifiers', 'Percent of the base value per grade (defaults excellent 100, good 80, fair 60, poor 40).', { status: 200, type: ModifiersView, description: 'The modifiers.' })
  modifiers(@ProgramCaller() c: Caller) {
    return this.admin.getModifiers(this.program, c);
  }

  @Put('condition-modifiers')
  @Roles('admin', 'manager')
  @STAFF()
  @Doc('Change condition modifiers', 'Only the grades sent change. Later quotes use the new values.', { status: 200, type: ModifiersView, description: 'The modifiers.' }, [
    [422, 'Invalid percent (0–200, two decimals).'],
  ])
  @ApiBody({ type: ModifiersInput })
  setModifiers(@ProgramCaller() c: Caller, @Body() body: unknown) {
    return this.admin.putModifiers(this.program, c, body);
  }

  @Get('customers')
  @STAFF()
  @Doc('List programme customers', 'With their number of submissions; newest first; page, itemsPerPage.', { status: 200, type: [ProgramCustomerView], description: 'A page of customers.' })
  customers(@Req() req: Request, @ProgramCaller() c: Caller) {
    return this.admin.customers(req, c);
  }

  @Get('stats')
  @STAFF()
  @Doc('Dashboard statistics', 'Computed by the database: submissions per status, offers, acceptance rate, offer and credit totals and averages, median time between stages.', {
    status: 200,
    type: StatsView,
    description: 'The figures.',
  })
  stats(@ProgramCaller() c: Caller) {
    return this.admin.stats(c);
  }
}
