import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_WIRE_JSON_DEPTH, MAX_WIRE_MESSAGE_BYTES, WireInvokeSchema, type WireFromHost } from '../../contract/contract';
import { exceedsJsonDepth } from '../../ipc/json-depth';
import type { Router } from '../../ipc/router';
import type { EventHub } from '../../services/events';
import type { MediaRoots } from '../../services/media/media-roots';
import { serveFile } from '../../services/media/serve-file';
import { cookieName, hostnameOf, isLoopbackHost, newToken, readCookie, tokensEqual } from './auth';
import { resolveStatic } from './static-files';

export const MEDIA_PREFIX = '/media';
export const WS_PATH = '/ws';

export interface WebHostOptions {
  router: Router;
  events: EventHub;
  media: MediaRoots;
  /** The built studio (index.html and assets); null serves a page saying how to build it. */
  staticDir: string | null;
  port: number;
  host: string;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface WebHost {
  readonly url: string;
  readonly token: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** A page from another origin must not drive the studio, even if it learnt the token. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser (CLI clients, tests)
  try {
    // The studio is served over plain HTTP: a page of another scheme on the same host:port
    // (https://, an extension, file://) is another origin.
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === host;
  } catch {
    return false;
  }
}

function csp(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Vue's scoped styles are files; inline style attributes come from bindings.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': csp(),
  'X-Content-Type-Options': 'nosniff',
  // The token is in the page URL: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Latent Blending Studio</title>
<p>The studio UI has not been built yet. Run <code>npm run build</code> (electron-vite build) and restart <code>latentblend serve</code>.</p>`;

/**
 * The web host: the built studio, the contract over a WebSocket (`/ws`) and media with Range
 * (`/media/…`). Every HTTP and WebSocket request needs the session token, from the URL's
 * `?token=` or the cookie the first page load sets; without it: 401. When bound to loopback,
 * Host headers naming another host are refused too (DNS rebinding).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const loopbackOnly = isLoopbackHost(options.host);
  let port = options.port;

  const authorised = (req: IncomingMessage, url: URL): 'query' | 'cookie' | null => {
    if (tokensEqual(url.searchParams.get('token'), token)) return 'query';
    if (tokensEqual(readCookie(req.headers.cookie, cookieName(port)), token)) return 'cookie';
    return null;
  };
  const hostAllowed = (req: IncomingMessage) => !loopbackOnly || isLoopbackHost(hostnameOf(req.headers.host));

  const deny = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(`${message}\n`);
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (!hostAllowed(req)) return deny(res, 403, 'Forbidden: unexpected Host header.');
    const auth = authorised(req, url);
    if (!auth) return deny(res, 401, 'Unauthorized: open the studio with the URL `latentblend serve` printed (it carries the session token).');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.');

    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (auth === 'query') {
      // Later requests (scripts, images, the WebSocket) carry the token as a cookie.
      headers['Set-Cookie'] = `${cookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
    }

    if (url.pathname === MEDIA_PREFIX || url.pathname.startsWith(`${MEDIA_PREFIX}/`)) {
      const lookup = await options.media.resolveReal(url.pathname.slice(MEDIA_PREFIX.length));
      if (!lookup.ok) return deny(res, lookup.status, `Not served: ${lookup.reason}.`);
      // `?download` (the export dialog's Download link): save the file under its own name.
      const served = await serveFile(lookup.file, lookup.contentType, req.headers.range, url.searchParams.has('download') ? path.basename(lookup.file) : undefined);
      res.writeHead(served.status, { ...headers, ...served.headers });
      if (req.method === 'HEAD' || !served.body) {
        served.body?.destroy();
        res.end();
        return;
      }
      served.body.on('error', () => res.destroy());
      served.body.pipe(res);
      return;
    }

    if (!options.staticDir) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(NOT_BUILT_PAGE);
      return;
    }
    const file = await resolveStatic(options.staticDir, url.pathname);
    if (!file.ok) return deny(res, file.status, 'Not found.');
    res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file.file).on('error', () => res.destroy()).pipe(res);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) deny(res, 500, 'Internal error.');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WIRE_MESSAGE_BYTES });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://host.invalid');
      if (url.pathname !== WS_PATH) return refuse('404 Not Found');
      if (!hostAllowed(req) || !sameOrigin(req.headers.origin, req.headers.host)) return refuse('403 Forbidden');
      if (!authorised(req, url)) return refuse('401 Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch {
      refuse('400 Bad Request');
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      void answer(ws, isBinary ? null : data.toString());
    });
  });

  const send = (ws: WebSocket, message: WireFromHost) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  async function answer(ws: WebSocket, text: string | null): Promise<void> {
    let raw: unknown;
    if (text !== null && exceedsJsonDepth(text, MAX_WIRE_JSON_DEPTH)) {
      // Refused before parsing: deep nesting costs the parser (and any walk of it) time on the event loop.
      const id = /^\s*\{[^{}[\]]*?"id"\s*:\s*(\d{1,15})\b/.exec(text.slice(0, 256))?.[1];
      if (id !== undefined) send(ws, { type: 'result', id: Number(id), ok: false, error: { code: 'BAD_REQUEST', message: `The request nests deeper than ${MAX_WIRE_JSON_DEPTH} levels; no method takes such a payload.` } });
      return;
    }
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const message = WireInvokeSchema.safeParse(raw);
    if (!message.success) {
      // Without a usable id there is nobody to answer; with one, say what was wrong.
      const id = (raw as { id?: unknown } | undefined)?.id;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
        send(ws, { type: 'result', id, ok: false, error: { code: 'BAD_REQUEST', message: 'Messages must be {"type": "invoke", "id": n, "method": "…", "payload": …}.' } });
      }
      return;
    }
    const result = await options.router.handle(message.data.method, message.data.payload);
    send(ws, { type: 'result', id: message.data.id, ...result });
  }

  const unsubscribe = options.events.subscribe((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}/?token=${token}`;

  return {
    url,
    token,
    port,
    server,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would otherwise hold the port for seconds after Ctrl+C.
      server.closeAllConnections();
      await closed;
    },
  };
}
