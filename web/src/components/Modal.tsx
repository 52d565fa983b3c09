import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { IconClose } from "./Icons";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

let openCount = 0;

interface ModalProps {
  title: ReactNode;
  /** Optional line under the title, read out as the dialog's description. */
  description?: ReactNode;
  onClose: () => void;
  /** While an action runs, Esc and the backdrop do not close the dialog. */
  busy?: boolean;
  size?: "sm" | "md" | "lg";
  tone?: "default" | "danger";
  footer?: ReactNode;
  children?: ReactNode;
}

/**
 * An accessible modal dialog: focus moves in (to [data-autofocus] or the first control), Tab stays inside,
 * Esc and the backdrop close it, the page behind is inert, and focus returns to whatever opened it.
 */
export function Modal({
  title,
  description,
  onClose,
  busy = false,
  size = "md",
  tone = "default",
  footer,
  children,
}: ModalProps) {
  const titleId = useId();
  const descId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useEffect(() => {
    const trigger = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const app = document.getElementById("root");
    openCount += 1;
    app?.setAttribute("inert", "");
    document.body.classList.add("modal-open");
    const dialog = dialogRef.current;
    const first =
      dialog?.querySelector<HTMLElement>("[data-autofocus]") ??
      dialog?.querySelector(".modal__body")?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog)?.focus();
    return () => {
      openCount -= 1;
      if (openCount === 0) {
        app?.removeAttribute("inert");
        document.body.classList.remove("modal-open");
      }
      if (trigger?.isConnected) trigger.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      if (!busyRef.current) onCloseRef.current();
      return;
    }
    if (e.key !== "Tab" || !dialogRef.current) return;
    const items = [...dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      e.preventDefault();
      return;
    }
    if (e.shiftKey && (document.activeElement === first || document.activeElement === dialogRef.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const host = document.getElementById("overlay-root") ?? document.body;
  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: clicking the backdrop is a mouse shortcut; Esc and the close button do the same.
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget && !busyRef.current) onCloseRef.current();
      }}
    >
      <div
        ref={dialogRef}
        className={`modal modal--${size} modal--${tone}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="modal__header">
          <div>
            <h2 id={titleId} className="modal__title">
              {title}
            </h2>
            {description ? (
              <p id={descId} className="modal__description">
                {description}
              </p>
            ) : null}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Close dialog"
            onClick={() => !busy && onClose()}
            disabled={busy}
          >
            <IconClose />
          </button>
        </header>
        <div className="modal__body">{children}</div>
        {footer ? <footer className="modal__footer">{footer}</footer> : null}
      </div>
    </div>,
    host,
  );
}

interface ModalActionsProps {
  onCancel: () => void;
  busy: boolean;
  /** The main button's label, and its label while `busy`. */
  label: ReactNode;
  busyLabel: ReactNode;
  /** The id of the form the main button submits; without it the button runs `onConfirm`. */
  form?: string;
  onConfirm?: () => void;
  /** Disables the main button (it is disabled while busy anyway). */
  disabled?: boolean;
  tone?: "primary" | "danger";
  /** Focus Cancel when the dialog opens (for destructive confirmations). */
  focusCancel?: boolean;
}

/** A dialog's footer: Cancel, then the main action. */
export function ModalActions({
  onCancel,
  busy,
  label,
  busyLabel,
  form,
  onConfirm,
  disabled = false,
  tone = "primary",
  focusCancel = false,
}: ModalActionsProps) {
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        onClick={onCancel}
        disabled={busy}
        data-autofocus={focusCancel || undefined}
      >
        Cancel
      </button>
      <button
        type={form ? "submit" : "button"}
        form={form}
        className={`button button--${tone}`}
        onClick={form ? undefined : onConfirm}
        disabled={busy || disabled}
      >
        {busy ? busyLabel : label}
      </button>
    </>
  );
}
