import type { ReactNode } from "react";
import type { AsyncState } from "../hooks";
import { ErrorState, Loading } from "./States";

/** A card whose content runs edge to edge (a table): a padded head with its title and an optional action. */
export function FlushCard({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card card--flush" aria-labelledby={id}>
      <div className="card__head card__head--padded">
        <h2 id={id} className="card__title">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}

/** What `useAsync` loaded: an error with a retry if it failed before anything came, a spinner until it comes. */
export function Loaded<T>({
  state,
  errorTitle,
  loadingLabel,
  children,
}: {
  state: AsyncState<T>;
  errorTitle: string;
  loadingLabel: string;
  children: (data: T) => ReactNode;
}) {
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} title={errorTitle} />;
  if (!state.data) return <Loading label={loadingLabel} />;
  return children(state.data);
}
