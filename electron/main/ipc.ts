// The only file that touches ipcMain. Every contract channel: sender check -> zod parse -> handler.
import { ipcMain, type WebContents } from 'electron';
import { channelNames, type EventName } from '../../shared/contract';
import type { Core } from '../core/app';
import { invokeChannel } from '../core/invoke';
import { isAppUrl } from '../core/urls';

export const EVENT_CHANNEL = 'cadence:event';

export function registerIpc(core: Core): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      // Only Cadence's own page may call; a navigated or injected frame gets nothing.
      if (!isAppUrl(event.senderFrame?.url)) {
        core.ctx.log.warn(`Refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        return { ok: false, error: { code: 'forbidden', message: 'This page is not allowed to use Cadence.' } };
      }
      return invokeChannel(core, channel, input);
    });
  }
}

/** Pushes an event to the given pages (every Cadence window). */
export function sendEvent(targets: WebContents[], name: EventName, payload: unknown): void {
  for (const wc of targets) {
    if (!wc.isDestroyed() && isAppUrl(wc.getURL())) wc.send(EVENT_CHANNEL, { name, payload });
  }
}
