// The renderer's one door to Cadence: window.cadence in the desktop app (preload), or HTTP to the
// browser-mode server. Both carry the same contract and the same { ok, value | error } envelope.
import type { Api, Channel, ChannelInput, ChannelOutput, EventListener, EventName, EventPayload, Result } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';

interface DesktopBridge {
  mode: 'desktop';
  api: Record<string, (input?: unknown) => Promise<Result<unknown>>>;
  onEvent(listener: EventListener): () => void;
}

declare global {
  interface Window {
    cadence?: DesktopBridge;
  }
}

/** An error from Cadence, with the code and the message to show. */
export class ApiError extends Error implements ErrorShape {
  readonly code: ErrorShape['code'];
  constructor(error: ErrorShape) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
  }
}

const TOKEN_KEY = 'cadence.token';

/** Browser mode: the access token arrives in the address (#token=...) and is kept for this tab only. */
function takeToken(): string | null {
  const match = /(?:^#|&)token=([\w-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', `${window.location.pathname}#/today`);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const desktop = window.cadence?.mode === 'desktop' ? window.cadence : null;
export const mode: 'desktop' | 'browser' = desktop ? 'desktop' : 'browser';
const token = desktop ? null : takeToken();
if (!desktop) {
  // The address with a new token pasted into a tab that is already open (the server was restarted and
  // printed a new one) changes only the hash, so the page would not reload: keep it and start afresh.
  window.addEventListener('hashchange', () => {
    if (/(?:^#|&)token=[\w-]+/.test(window.location.hash) && takeToken() !== token) window.location.reload();
  });
}

/** False in browser mode when the page was opened without its access token. */
export const hasAccess = desktop !== null || token !== null;

async function browserCall(channel: string, input: unknown): Promise<Result<unknown>> {
  const headers: Record<string, string> = { 'x-cadence-token': token ?? '' };
  let body: BodyInit | undefined;
  if (channel === 'files.stage') {
    // The file itself (a Blob) streams from disk; the server writes it to disk as it arrives.
    const { name, bytes } = input as { name: string; bytes: Uint8Array | Blob };
    headers['content-type'] = 'application/octet-stream';
    headers['x-file-name'] = encodeURIComponent(name);
    body = bytes as Uint8Array<ArrayBuffer> | Blob;
  } else {
    headers['content-type'] = 'application/json';
    body = input === undefined ? '' : JSON.stringify(input);
  }
  let response: Response;
  try {
    response = await fetch(`/api/${channel}`, { method: 'POST', headers, body });
  } catch {
    return { ok: false, error: { code: 'internal', message: 'Cadence is not reachable. Is `npm run web` still running?' } };
  }
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'internal', message: `Cadence answered with an unexpected response (HTTP ${response.status}).` } };
  }
}

/** Calls one channel; resolves to its output or throws ApiError with a message for the user. */
export async function call<C extends Channel>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = desktop ? await desktop.api[channel]!(input) : await browserCall(channel, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value as ChannelOutput<C>;
}

/** The typed API: api['decks.list']() and so on. */
export const api = new Proxy({} as Api, {
  get: (_target, channel: string) => (input?: unknown) => call(channel as Channel, input as never),
});

type AnyListener = (name: EventName, payload: unknown) => void;
const listeners = new Set<AnyListener>();
let connected = false;

function connectEvents(): void {
  if (connected) return;
  connected = true;
  const dispatch = (name: EventName, payload: unknown) => listeners.forEach((l) => l(name, payload));
  if (desktop) {
    desktop.onEvent(dispatch as EventListener);
  } else if (token) {
    const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (e) => {
      const { name, payload } = JSON.parse(e.data as string) as { name: EventName; payload: unknown };
      dispatch(name, payload);
    };
  }
}

/** Subscribes to push events from Cadence; returns the unsubscribe function. */
export function onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  connectEvents();
  const wrapped: AnyListener = (n, p) => {
    if (n === name) listener(p as EventPayload<E>);
  };
  listeners.add(wrapped);
  return () => listeners.delete(wrapped);
}

/** Address of a file Cadence made for the user to save (exports, calendar files). */
export function downloadUrl(downloadName: string): string {
  const base = `/download/${encodeURIComponent(downloadName)}`;
  return desktop ? base : `${base}?token=${encodeURIComponent(token ?? '')}`;
}

/** Starts the download of a file Cadence made. */
export function download(downloadName: string): void {
  const a = document.createElement('a');
  a.href = downloadUrl(downloadName);
  a.download = downloadName.replace(/^[a-f0-9]{12}-/, '');
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Hands a file the user picked to Cadence; returns the id later calls refer to. */
export async function stageFile(file: File): Promise<ChannelOutput<'files.stage'>> {
  if (!desktop) {
    // Browser mode: never read into memory here, however large.
    const result = await browserCall('files.stage', { name: file.name, bytes: file });
    if (!result.ok) throw new ApiError(result.error);
    return result.value as ChannelOutput<'files.stage'>;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return call('files.stage', { name: file.name, bytes });
}
