// Pages are addressed by the URL hash (#/decks, #/study?deck=3) so reload and back/forward work in
// both the desktop window and browser mode. A page holding unsaved work guards the way out: every way
// of leaving (a link, a shortcut, back/forward, closing the window) asks first.
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';

export type Params = Record<string, string>;
export interface Route {
  page: string;
  params: Params;
}

function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { page: path || 'today', params: Object.fromEntries(new URLSearchParams(query)) };
}

export function href(page: string, params: Params = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}

// ---- Leaving a page with unsaved work -----------------------------------------------------------

/** The question to ask before leaving, while the page shown has unsaved work; null when nothing is lost. */
let leaveQuestion: string | null = null;
/** Where the user asked to go while a question is pending. */
let pendingHash: string | null = null;
const pendingListeners = new Set<() => void>();

function setPending(hash: string | null): void {
  pendingHash = hash;
  pendingListeners.forEach((l) => l());
}

/** While `question` is set, leaving the page asks it first ("Discard the note you are writing?"). */
export function useLeaveGuard(question: string | null): void {
  useEffect(() => {
    if (!question) return;
    leaveQuestion = question;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => {
      if (leaveQuestion === question) leaveQuestion = null;
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [question]);
}

/** The work was saved or knowingly dropped: the next navigation goes without asking. */
export function allowLeave(): void {
  leaveQuestion = null;
}

/** Goes to an address (a hash), asking first when the page has unsaved work. */
export function go(hash: string): void {
  if (leaveQuestion && hash !== window.location.hash) setPending(hash);
  else window.location.hash = hash;
}

export function navigate(page: string, params: Params = {}): void {
  go(href(page, params));
}

/** The pending question and its answers, for the one dialog the app shell shows. */
export function useLeaveRequest(): { question: string; leave: () => void; stay: () => void } | null {
  const hash = useSyncExternalStore(
    (l) => {
      pendingListeners.add(l);
      return () => pendingListeners.delete(l);
    },
    () => pendingHash,
  );
  if (hash === null || !leaveQuestion) return null;
  return {
    question: leaveQuestion,
    leave: () => {
      leaveQuestion = null;
      setPending(null);
      window.location.hash = hash;
    },
    stay: () => setPending(null),
  };
}

// ---- The route -----------------------------------------------------------------------------------

const RouteContext = createContext<Route>({ page: 'today', params: {} });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [first] = useState(() => window.location.hash);
  const [route, setRoute] = useState(() => parse(first));
  useEffect(() => {
    let shown = window.location.hash;
    const update = () => {
      if (leaveQuestion && window.location.hash !== shown) {
        // Back/forward or a typed address: put the address back and ask.
        const wanted = window.location.hash;
        history.replaceState(null, '', shown || '#/today');
        setPending(wanted);
        return;
      }
      shown = window.location.hash;
      setRoute(parse(window.location.hash));
    };
    // In-app links are caught before they change the address, so history stays as it was.
    const onClick = (e: MouseEvent) => {
      if (!leaveQuestion || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest('a[href^="#/"]') : null;
      if (!link) return;
      e.preventDefault();
      go(link.getAttribute('href')!);
    };
    window.addEventListener('hashchange', update);
    document.addEventListener('click', onClick, true);
    // An address that changed between the first render and this listener (a link opened while the
    // app was starting) fired its hashchange unheard: show the page it names.
    if (shown !== first) setRoute(parse(shown));
    return () => {
      window.removeEventListener('hashchange', update);
      document.removeEventListener('click', onClick, true);
    };
  }, [first]);
  return <RouteContext.Provider value={route}>{children}</RouteContext.Provider>;
}

export function useRoute(): Route {
  return useContext(RouteContext);
}
