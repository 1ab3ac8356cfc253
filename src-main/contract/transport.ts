import {
  ContractError,
  type Bridge,
  type EventName,
  type EventPayload,
  type InvokeResult,
  type MethodName,
  type Request,
  type Response,
  type WireFromHost,
} from './contract';

/**
 * The renderer's one way to talk to the host. Pure browser code: `window.bridge` under
 * Electron, else a WebSocket to the web host. Rejections are always `ContractError`s.
 */
export interface Transport {
  readonly kind: 'electron' | 'websocket';
  invoke<M extends MethodName>(method: M, payload: Request<M>): Promise<Response<M>>;
  /** Returns the unsubscribe function. */
  subscribe<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  close(): void;
}

function unwrap<T>(result: InvokeResult): T {
  if (result.ok) return result.value as T;
  throw new ContractError(result.error);
}

export function createBridgeTransport(bridge: Bridge): Transport {
  return {
    kind: 'electron',
    async invoke(method, payload) {
      return unwrap(await bridge.invoke(method, payload));
    },
    subscribe(event, handler) {
      return bridge.subscribe(event, handler as (payload: unknown) => void);
    },
    close() {},
  };
}

/** The subset of the browser WebSocket this transport uses (Node tests pass `ws`'s class). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

const OPEN = 1;

/**
 * Invokes over one WebSocket, reconnecting on the next call after the socket drops. Calls in
 * flight when it drops fail with DISCONNECTED (the host may or may not have run them).
 */
export function createWebSocketTransport(url: string, factory: WebSocketFactory = (u) => new WebSocket(u)): Transport {
  let socket: WebSocketLike | null = null;
  let opening: Promise<WebSocketLike> | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve(v: InvokeResult): void }>();
  const handlers = new Map<string, Set<(payload: unknown) => void>>();

  const failAll = (message: string) => {
    for (const p of pending.values()) p.resolve({ ok: false, error: { code: 'DISCONNECTED', message } });
    pending.clear();
  };

  const connect = (): Promise<WebSocketLike> => {
    if (socket && socket.readyState === OPEN) return Promise.resolve(socket);
    if (opening) return opening;
    opening = new Promise<WebSocketLike>((resolve, reject) => {
      const ws = factory(url);
      let open = false;
      ws.addEventListener('open', () => {
        open = true;
        socket = ws;
        opening = null;
        resolve(ws);
      });
      ws.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        let message: WireFromHost;
        try {
          message = JSON.parse(event.data) as WireFromHost;
        } catch {
          return;
        }
        if (message.type === 'result') {
          const p = pending.get(message.id);
          pending.delete(message.id);
          p?.resolve(message);
        } else if (message.type === 'event') {
          for (const h of handlers.get(message.event) ?? []) h(message.payload);
        }
      });
      ws.addEventListener('close', () => {
        if (socket === ws) socket = null;
        if (!open) {
          opening = null;
          reject(new ContractError({ code: 'DISCONNECTED', message: `Could not connect to the studio host at ${url.replace(/token=[^&]*/, 'token=…')}.`, hint: 'Check that `latentblend serve` is still running and reload the page with the URL it printed.' }));
        }
        failAll('The connection to the studio host was lost before it answered.');
      });
      ws.addEventListener('error', () => {
        /* 'close' follows and does the cleanup */
      });
    });
    return opening;
  };

  return {
    kind: 'websocket',
    async invoke(method, payload) {
      if (closed) throw new ContractError({ code: 'DISCONNECTED', message: 'The transport was closed.' });
      const ws = await connect();
      const id = nextId++;
      const answer = new Promise<InvokeResult>((resolve) => pending.set(id, { resolve }));
      ws.send(JSON.stringify({ type: 'invoke', id, method, payload }));
      return unwrap(await answer);
    },
    subscribe(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      const h = handler as (payload: unknown) => void;
      set.add(h);
      // Events only flow over an open socket; subscribing is a reason to open it.
      if (!closed) connect().catch(() => undefined);
      return () => set.delete(h);
    },
    close() {
      closed = true;
      failAll('The transport was closed.');
      socket?.close();
      socket = null;
    },
  };
}

/** ws(s)://<host>/ws?token=… for the page the studio was loaded from. */
export function webSocketUrlFor(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** `window.bridge` when the Electron preload exposed it, else a WebSocket to the web host. */
export function createTransport(): Transport {
  const g = globalThis as { bridge?: Bridge; location?: { protocol: string; host: string; search: string } };
  if (g.bridge) return createBridgeTransport(g.bridge);
  if (!g.location) throw new Error('createTransport: neither window.bridge nor a page location is available');
  return createWebSocketTransport(webSocketUrlFor(g.location));
}
