// A small actions menu behind one button (the menu-button pattern): the button says it opens a menu
// and whether it is open; arrow keys, Home and End move between items; Escape, Tab or a click elsewhere
// close it. The list is placed with fixed positioning (following its button when the page scrolls) so
// a scrolling table or card never clips it.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  /** Visible text of the item. */
  text: string;
  /** Accessible name when the visible text alone is ambiguous (e.g. "Rename Starter::PMI"). */
  label?: string;
  danger?: boolean;
  onSelect: () => void;
}

type Place = { top?: number; bottom?: number; right: number };

export function MenuButton({ label, items, children = 'More' }: { label: string; items: MenuItem[]; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<Place>({ right: 0 });
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  // Which item takes focus when the menu opens: the first, or the last when opened with ArrowUp.
  const focusOnOpen = useRef<'first' | 'last'>('first');
  const menuId = useId();
  const buttonId = useId();

  const itemsOf = () => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  // Place the menu under the button, right edges aligned; above it when there is no room below.
  const placeMenu = useCallback(() => {
    const button = buttonRef.current?.getBoundingClientRect();
    const menu = menuRef.current;
    if (!button || !menu) return;
    const right = Math.max(8, window.innerWidth - button.right);
    const roomBelow = window.innerHeight - button.bottom;
    setPlace(roomBelow < menu.offsetHeight + 12 && button.top > roomBelow ? { bottom: window.innerHeight - button.top + 4, right } : { top: button.bottom + 4, right });
  }, []);

  useLayoutEffect(() => {
    if (!open) return;
    placeMenu();
    const list = itemsOf();
    // preventScroll: focusing must not scroll the page under the menu.
    (focusOnOpen.current === 'last' ? list[list.length - 1] : list[0])?.focus({ preventScroll: true });
  }, [open, placeMenu]);

  // A click elsewhere closes the menu; scrolling or resizing moves it with its button.
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    const onMove = () => placeMenu();
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open, close, placeMenu]);

  const openWith = (which: 'first' | 'last') => {
    focusOnOpen.current = which;
    setOpen(true);
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openWith(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const list = itemsOf();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => list[(i + list.length) % list.length]?.focus({ preventScroll: true });
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      close(false);
      return; // let Tab move focus on from the button's place in the page
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <span className="menu">
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className="small menu-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openWith('first'))}
        onKeyDown={onButtonKey}
      >
        {children}
        <span aria-hidden="true" className="menu-caret">
          ▾
        </span>
      </button>
      {open ? (
        <div ref={menuRef} id={menuId} role="menu" aria-labelledby={buttonId} className="menu-list" style={{ position: 'fixed', ...place }} onKeyDown={onMenuKey}>
          {items.map((item) => (
            <button
              key={item.text}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? 'danger-text' : undefined}
              aria-label={item.label}
              onClick={() => {
                // Focus goes back to the button first, so a dialog the item opens returns focus there.
                close(true);
                item.onSelect();
              }}
            >
              {item.text}
            </button>
          ))}
        </div>
      ) : null}
    </span>
  );
}
