// Pages are addressed by the URL hash (#/decks, #/study?deck=3) so reload and back/forward work in
// both the desktop window and browser mode.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

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

const RouteContext = createContext<Route>({ page: 'today', params: {} });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return <RouteContext.Provider value={route}>{children}</RouteContext.Provider>;
}

export function useRoute(): Route {
  return useContext(RouteContext);
}

export function navigate(page: string, params: Params = {}): void {
  window.location.hash = href(page, params);
}
