import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem, toProblem } from './problem';

/** Every error leaving a controller, guard or pipe becomes a problem document. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    sendProblem(req, http.getResponse<Response>(), toProblem(exception, req));
  }
}

/** The same for errors raised by Express middleware (body parsing) before Nest routing. */
export function expressProblemHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  sendProblem(req, res, toProblem(err, req));
}
