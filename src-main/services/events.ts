import type { EventName, EventPayload } from '../contract/contract';

export type EmitFn = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type EventListener = (event: EventName, payload: unknown) => void;

/** Services emit contract events here; each transport (IPC window, WebSocket clients) listens. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly emit: EmitFn = (event, payload) => {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload);
      } catch {
        // A broken listener (a closed socket, a destroyed window) must not stop the others.
      }
    }
  };
}
