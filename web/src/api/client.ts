import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The platform's one error shape, `{ code, message, details, requestId }`, as a thrown Error. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(status: number, body: { code?: string; message?: string; details?: unknown; requestId?: string } | undefined) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? (status >= 500 ? 'internal.error' : 'http.error');
    this.details = body?.details ?? null;
    this.requestId = body?.requestId;
  }
}

type UnauthorizedHandler = (error: ApiError) => void;
let onUnauthorized: UnauthorizedHandler = () => {};
/** The app registers how a 401 on an authenticated call is handled (back to /login with a message). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler) {
  onUnauthorized = handler;
}

/** Calls that answer 401 as part of their normal flow (sign-in steps, the initial "who am I"). */
const NO_REDIRECT = ['/api/auth/login', '/api/auth/me'];

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('X-Requested-With', 'zhengyun');
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    let body: { code?: string; message?: string; details?: unknown; requestId?: string } | undefined;
    try {
      body = (await response.clone().json()) as typeof body;
    } catch {
      body = undefined;
    }
    const error = new ApiError(response.status, body);
    const path = new URL(request.url).pathname;
    if (response.status === 401 && !NO_REDIRECT.some((p) => path === p || path.startsWith(`${p}/`))) onUnauthorized(error);
    throw error;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(headers);

/** Unwraps an openapi-fetch result: errors were thrown by the middleware already. */
export function data<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined) throw new ApiError(result.response.status, result.error as never);
  return result.data as T;
}

/** Plain fetch for endpoints not (yet) in the generated schema, with the same headers and error mapping. */
export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { 'X-Requested-With': 'zhengyun', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(url, init);
  if (!response.ok) {
    let payload: { code?: string; message?: string; details?: unknown; requestId?: string } | undefined;
    try {
      payload = (await response.json()) as typeof payload;
    } catch {
      payload = undefined;
    }
    const error = new ApiError(response.status, payload);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * Downloads a binary response (an .xlsx export) as a file: same headers and error mapping as the API client. The file
 * takes the name the server gives in Content-Disposition, else `fallbackName`.
 */
export async function download(url: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { 'X-Requested-With': 'zhengyun' } });
  if (!response.ok) {
    const payload = (await response.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
    const error = new ApiError(response.status, payload);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? fallbackName);
  const href = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Builds a query string, dropping empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
