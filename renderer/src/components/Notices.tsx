import { useEffect, useState } from 'react';
import type { Notice } from '../../../shared/contract/app';
import { api, onEvent } from '../api';

/** Startup notices (a recovered database, ...) and messages Cadence pushes; each can be dismissed. */
export function Notices() {
  const [notices, setNotices] = useState<(Notice & { key: number })[]>([]);
  useEffect(() => {
    let next = 0;
    const add = (n: Notice) => setNotices((list) => [...list, { ...n, key: next++ }]);
    void api['app.info']().then((info) => info.notices.forEach(add)).catch(() => {});
    return onEvent('app.notice', add);
  }, []);
  if (!notices.length) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className={`notice ${n.level}`} role={n.level === 'error' ? 'alert' : 'status'}>
          <span>{n.message}</span>
          <button type="button" className="link" onClick={() => setNotices((l) => l.filter((x) => x.key !== n.key))}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
