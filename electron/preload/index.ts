// Exposes exactly one function per contract channel, and an event subscription that never hands the
// page an IpcRendererEvent. No generic invoke/send.
import { contextBridge, ipcRenderer } from 'electron';
import { channelNames, eventNames, type EventListener } from '../../shared/contract';

const EVENT_CHANNEL = 'cadence:event';
const knownEvents = new Set<string>(eventNames);

const api = Object.fromEntries(channelNames.map((channel) => [channel, (input?: unknown) => ipcRenderer.invoke(channel, input)]));

function onEvent(listener: EventListener): () => void {
  const wrapped = (_event: unknown, message: { name: string; payload: unknown }) => {
    if (message && knownEvents.has(message.name)) (listener as (n: string, p: unknown) => void)(message.name, message.payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  };
}

contextBridge.exposeInMainWorld('cadence', { mode: 'desktop', api, onEvent });
