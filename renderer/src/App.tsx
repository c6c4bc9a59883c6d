import { useEffect, useRef } from 'react';
import { hasAccess, mode } from './api';
import { InboxButton } from './components/Inbox';
import { Notices } from './components/Notices';
import { HealthBanner } from './components/HealthBanner';
import { ConfirmDialog, EmptyState } from './components/ui';
import { useApi } from './hooks/useApi';
import { pages } from './pages';
import { href, navigate, RouterProvider, useLeaveRequest, useRoute } from './router';
import { applyTheme } from './theme';

const navPages = pages.filter((p) => p.nav);

function Sidebar({ current }: { current: string }) {
  const shortcut = navigator.platform.includes('Mac') ? '⌘' : 'Ctrl+';
  return (
    <nav className="sidebar" aria-label="Main">
      <a className="brand" href={href('today')}>
        <img src="./favicon.svg" alt="" width={28} height={28} />
        <span>Cadence</span>
      </a>
      <ul>
        {navPages.map((p, i) => (
          <li key={p.name}>
            <a href={href(p.name)} aria-current={current === p.name ? 'page' : undefined} title={`${p.label} (${shortcut}${i + 1})`}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">
        <InboxButton />
        {mode === 'browser' ? <span className="muted small">Browser mode</span> : null}
      </div>
    </nav>
  );
}

/** A field the user types into: Ctrl/Cmd+digit there is left alone rather than switching pages under the cursor. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/** Asks before leaving a page whose work is not saved (see useLeaveGuard). */
function LeaveDialog() {
  const request = useLeaveRequest();
  return (
    <ConfirmDialog open={request !== null} title="Leave without saving?" confirmLabel="Discard and leave" danger onConfirm={() => request?.leave()} onCancel={() => request?.stay()}>
      <p>{request?.question}</p>
    </ConfirmDialog>
  );
}

function Shell() {
  const route = useRoute();
  const settings = useApi('settings.get', undefined, ['settings']);
  useEffect(() => {
    if (settings.data) applyTheme(settings.data.theme);
  }, [settings.data]);

  // Ctrl/Cmd + 1..7 switches pages from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || isTextField(e.target)) return;
      const n = Number(e.key);
      const page = navPages[n - 1];
      if (page) {
        e.preventDefault();
        navigate(page.name);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const page = pages.find((p) => p.name === route.page);
  const Page = page?.component;
  useEffect(() => {
    document.title = page ? `${page.label} · Cadence` : 'Cadence';
  }, [page]);
  // After a page change, focus moves to the new page (its heading), unless the page put it somewhere
  // itself (an autofocused field); a screen reader then announces where the user is.
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const el = main.current;
      if (!el || el.contains(document.activeElement)) return;
      const heading = el.querySelector<HTMLElement>('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      } else el.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [route.page, route.params.id, route.params.deck, route.params.note]);
  const activeNav = page?.nav
    ? page.name
    : route.page === 'browse' || route.page === 'editor' || route.page === 'import'
      ? 'decks'
      : route.page === 'about'
        ? 'settings'
        : '';
  // Exam pages below Exams (mock exam, review, questions) keep Exams marked in the sidebar.
  const navName = activeNav || (['exam', 'exam-review', 'questions', 'question'].includes(route.page) ? 'exams' : '');

  return (
    <div className="app">
      {/* The address stays the page's: the link moves focus into the page instead of following "#main". */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar current={navName} />
      <main id="main" className="content" tabIndex={-1} ref={main}>
        <HealthBanner />
        <Notices />
        {Page ? (
          <Page key={route.page} />
        ) : (
          <EmptyState title="Page not found" action={<a href={href('today')}>Go to Today</a>}>
            There is no page called “{route.page}”.
          </EmptyState>
        )}
      </main>
      <LeaveDialog />
    </div>
  );
}

export function App() {
  if (!hasAccess) {
    return (
      <main className="content standalone">
        <EmptyState title="Open Cadence from its address">
          This page needs the access key that Cadence prints when it starts. Run <code>npm run web</code> and open the address it
          shows (it ends with <code>#token=…</code>).
        </EmptyState>
      </main>
    );
  }
  return (
    <RouterProvider>
      <Shell />
    </RouterProvider>
  );
}
