import { useEffect, useRef, useState } from 'react';

/**
 * Live ticket changes from the server (SSE, GET /api/live?topics=tickets): calls `onChange`
 * with the ticket id after each change commits, coalescing bursts. The browser reconnects by
 * itself; `connected` says whether the stream is up, so a page can say when it is not live.
 */
export function useTicketsLive(onChange: (ticketId: string | undefined) => void): boolean {
  const [connected, setConnected] = useState(false);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/live?topics=tickets', { withCredentials: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = new Set<string | undefined>();
    source.addEventListener('ready', () => setConnected(true));
    source.addEventListener('ticket', (e) => {
      let id: string | undefined;
      try {
        id = (JSON.parse((e as MessageEvent<string>).data) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      pending.add(id);
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const ids = [...pending];
        pending.clear();
        for (const one of ids) latest.current(one);
      }, 150);
    });
    source.onerror = () => setConnected(false);
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, []);
  return connected;
}
