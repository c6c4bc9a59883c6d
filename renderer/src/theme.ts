import type { Settings } from '../../shared/settings';

/** 'system' follows the OS (CSS prefers-color-scheme); light/dark pin it. */
export function applyTheme(theme: Settings['theme']): void {
  const root = document.documentElement;
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}
