import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { IconAlert, IconCheck, IconClose } from "./Icons";

/** Short confirmations ("License revoked") in a polite live region that sits outside the app, so modals never hide it. */

interface Toast {
  id: number;
  tone: "success" | "danger";
  title: string;
  body?: string;
}
type Push = (toast: Omit<Toast, "id">) => void;

const ToastContext = createContext<Push>(() => {});

export function useToast(): Push {
  return useContext(ToastContext);
}

const TOAST_MS = 9000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback<Push>(
    (toast) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-2), { ...toast, id }]);
      window.setTimeout(() => dismiss(id), TOAST_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => push, [push]);
  const host = document.getElementById("overlay-root") ?? document.body;
  return (
    <ToastContext.Provider value={value}>
      {children}
      {createPortal(
        <section className="toasts" aria-live="polite" aria-label="Notifications">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast--${t.tone}`}>
              <span className="toast__icon">{t.tone === "success" ? <IconCheck /> : <IconAlert />}</span>
              <div className="toast__content">
                <p className="toast__title">{t.title}</p>
                {t.body ? <p className="toast__body">{t.body}</p> : null}
              </div>
              <button
                type="button"
                className="icon-button icon-button--small"
                aria-label="Dismiss notification"
                onClick={() => dismiss(t.id)}
              >
                <IconClose />
              </button>
            </div>
          ))}
        </section>,
        host,
      )}
    </ToastContext.Provider>
  );
}
