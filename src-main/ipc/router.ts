import { badRequest, toErrorData } from '../services/errors';
import { METHOD_NAMES, isMethodName, methods, type ContractErrorData, type InvokeResult, type MethodName } from '../contract/contract';
import type { Handlers } from './handlers';

export interface RouterOptions {
  /**
   * Check every response against the contract too (on by default): a service that drifts from
   * the contract answers INTERNAL instead of sending the UI something it cannot read.
   */
  validateResponses?: boolean;
  /** Told about INTERNAL errors (bugs), e.g. to log them with their stack. */
  onInternalError?: (method: string, error: unknown) => void;
}

export interface Router {
  /** Never throws and never rejects: every call is answered with a value or a typed error. */
  handle(method: unknown, payload: unknown): Promise<InvokeResult>;
}

function fail(error: ContractErrorData): InvokeResult {
  return { ok: false, error };
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const validateResponses = options.validateResponses ?? true;

  async function call<M extends MethodName>(method: M, payload: unknown): Promise<InvokeResult> {
    const schema = methods[method];
    let parsed: ReturnType<typeof schema.request.safeParse>;
    try {
      // A missing payload means "no arguments" for the methods that take none.
      parsed = schema.request.safeParse(payload === undefined ? {} : payload);
    } catch (error) {
      return fail({ code: 'BAD_REQUEST', message: `Invalid request to ${method}: ${(error as Error)?.message ?? String(error)}` });
    }
    if (!parsed.success) return fail(badRequest(method, parsed.error));
    let value: unknown;
    try {
      const handler = handlers[method] as (request: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (error) {
      const data = toErrorData(error);
      if (data.code === 'INTERNAL') options.onInternalError?.(method, error);
      return fail(data);
    }
    if (validateResponses) {
      const checked = schema.response.safeParse(value);
      if (!checked.success) {
        options.onInternalError?.(method, checked.error);
        return fail({ code: 'INTERNAL', message: `Internal error: the answer to ${method} does not match the contract (${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}).` });
      }
    }
    return { ok: true, value };
  }

  return {
    async handle(method, payload) {
      try {
        if (!isMethodName(method)) {
          const name = typeof method === 'string' ? `"${method.slice(0, 100)}"` : `a ${method === null ? 'null' : typeof method}`;
          return fail({ code: 'UNKNOWN_METHOD', message: `There is no method ${name}.`, hint: `Methods: ${METHOD_NAMES.join(', ')}.` });
        }
        return await call(method, payload);
      } catch (error) {
        // Last line of defence: nothing escapes to the transport.
        options.onInternalError?.(String(method), error);
        return fail({ code: 'INTERNAL', message: 'Internal error while handling the request.' });
      }
    },
  };
}
