import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { IconMore } from "./Icons";

export interface RowMenuItem {
  label: string;
  onSelect: () => void;
  tone?: "danger";
}

/**
 * A small "…" menu of row actions (ARIA menu button): arrows move between items, Esc closes it and returns focus to
 * the button, a click outside closes it. It floats above the page, so tables that clip their overflow don't cut it.
 */
export function RowMenu({ label, items }: { label: string; items: RowMenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const id = useId();

  // Below the button, or above it when there is no room underneath; it follows the button when the page scrolls.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const button = buttonRef.current?.getBoundingClientRect();
      const menu = menuRef.current?.getBoundingClientRect();
      if (!button || !menu) return;
      const below = button.bottom + 4;
      const top = below + menu.height > window.innerHeight - 8 ? Math.max(8, button.top - 4 - menu.height) : below;
      // Right-aligned with the button, unless that runs off the left edge (stacked rows on a phone).
      const rightAligned = button.right - menu.width;
      const left = rightAligned >= 8 ? rightAligned : Math.min(button.left, window.innerWidth - menu.width - 8);
      setPos({ top, left: Math.max(8, left) });
    };
    place();
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    return () => {
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [open]);

  // The first item takes focus once the menu is placed (a hidden element can't hold focus).
  const placed = pos !== null;
  useEffect(() => {
    if (open && placed) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open, placed]);

  useEffect(() => {
    if (!open) return;
    const close = () => {
      setOpen(false);
      setPos(null);
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close();
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const closeToButton = () => {
    buttonRef.current?.focus();
    setOpen(false);
    setPos(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      e.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (e.key === "ArrowDown") move(at + 1);
    else if (e.key === "ArrowUp") move(at - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(all.length - 1);
    else if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      closeToButton();
    }
  };

  const host = document.getElementById("overlay-root") ?? document.body;
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className={`icon-button row-menu__button${open ? " is-open" : ""}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        title="More actions"
        onClick={() => {
          setOpen((o) => !o);
          setPos(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <IconMore />
      </button>
      {open
        ? createPortal(
            <div
              ref={menuRef}
              id={id}
              role="menu"
              aria-label={label}
              className="row-menu"
              style={pos ? { top: pos.top, left: pos.left } : { visibility: "hidden" }}
              onKeyDown={onKeyDown}
            >
              {items.map((item) => (
                <button
                  key={item.label}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className={`row-menu__item${item.tone === "danger" ? " row-menu__item--danger" : ""}`}
                  onClick={() => {
                    // Focus goes back to the "…" button first, so a dialog opened by the item returns focus there.
                    closeToButton();
                    item.onSelect();
                  }}
                >
                  {item.label}
                </button>
              ))}
            </div>,
            host,
          )
        : null}
    </>
  );
}
