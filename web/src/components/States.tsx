import type { ReactNode } from "react";
import { friendlyMessage } from "../errors";
import { IconAlert, IconCheck, IconInfo } from "./Icons";

/** Loading, empty and error states, and inline notices: the same look on every page. */

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner-wrap">
      <span className="spinner" aria-hidden="true" />
      {label ? <span>{label}</span> : null}
    </span>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite">
      <Spinner label={label} />
    </div>
  );
}

/** Placeholder blocks shaped like the content that is on its way. */
export function SkeletonCards({ count = 3, label = "Loading…" }: { count?: number; label?: string }) {
  return (
    <div className="skeleton-grid" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
        <div key={i} className="skeleton-card" aria-hidden="true">
          <div className="skeleton-line skeleton-line--short" />
          <div className="skeleton-line skeleton-line--bar" />
          <div className="skeleton-line" />
        </div>
      ))}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="state state--empty">
      {icon ? <div className="state__icon">{icon}</div> : null}
      <h3 className="state__title">{title}</h3>
      {children ? <div className="state__body">{children}</div> : null}
      {action ? <div className="state__action">{action}</div> : null}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = "This didn't load",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="state state--error" role="alert">
      <div className="state__icon state__icon--error">
        <IconAlert />
      </div>
      <h3 className="state__title">{title}</h3>
      <p className="state__body">{friendlyMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

type NoticeTone = "info" | "success" | "warning" | "danger";

/** A coloured box with an icon and words; `live` makes screen readers announce it when it appears. */
export function Notice({
  tone = "info",
  title,
  children,
  live,
}: {
  tone?: NoticeTone;
  title?: ReactNode;
  children?: ReactNode;
  live?: boolean;
}) {
  const icon = tone === "success" ? <IconCheck /> : tone === "info" ? <IconInfo /> : <IconAlert />;
  const role = live ? (tone === "danger" ? "alert" : "status") : undefined;
  return (
    <div className={`notice notice--${tone}`} role={role}>
      <span className="notice__icon">{icon}</span>
      <div className="notice__content">
        {title ? <p className="notice__title">{title}</p> : null}
        {children ? <div className="notice__body">{children}</div> : null}
      </div>
    </div>
  );
}

/** The live danger notice for an error that belongs to no single field; nothing without one. */
export function ErrorNotice({ message }: { message: ReactNode }) {
  return message ? (
    <Notice tone="danger" live>
      {message}
    </Notice>
  ) : null;
}
