import { useState } from "react";
import type { Pool, PoolRequest } from "../../../src/contracts/types.js";
import { IconCheck, IconLifebuoy } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { FullnessBadge, PoolBar } from "../components/PoolBar";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { useToast } from "../components/Toasts";
import { type ResellerOverview, supportApi } from "../endpoints";
import { formatDate, formatNumber, formatRelative, plural, SOURCE_WORDS, titleCase } from "../format";
import { useAsync, usePaged, useTitle } from "../hooks";
import { AdjustPoolModal } from "../modals/AdjustPoolModal";
import { DecideRequestModal } from "../modals/DecideRequestModal";

type Dialog =
  | { kind: "adjust"; pool: Pool; reseller: ResellerOverview }
  | { kind: "decide"; request: PoolRequest; decision: "approve" | "decline" }
  | null;

/** Support staff: pending pool-size requests to decide, and every reseller with its pools. */
export function SupportPage() {
  useTitle("Support console");
  const toast = useToast();
  const requests = useAsync(() => supportApi.requests("pending"), "pending");
  const [version, setVersion] = useState(0);
  const resellers = usePaged(
    (cursor) => supportApi.resellers(cursor).then((r) => ({ items: r.resellers, next_cursor: r.next_cursor })),
    `resellers:${version}`,
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  const resellerName = (id: string) => resellers.items.find((r) => r.id === id)?.name ?? "A reseller";
  const poolOf = (id: string) => resellers.items.flatMap((r) => r.pools).find((p) => p.id === id);
  const pending = requests.data?.pool_requests ?? [];

  return (
    <>
      <PageHeader
        title="Support console"
        subtitle="Decide pool-size requests and adjust resellers' pools. Every change is logged with its reason."
      />

      <section className="plan-section" aria-labelledby="requests-h">
        <div className="section-head">
          <h2 id="requests-h" className="section-title">
            Pool-size requests
            {pending.length ? <span className="count-pill">{pending.length}</span> : null}
          </h2>
        </div>
        {requests.error && !requests.data ? (
          <ErrorState error={requests.error} onRetry={requests.reload} title="Requests didn't load" />
        ) : !requests.data ? (
          <Loading label="Loading requests…" />
        ) : pending.length === 0 ? (
          <div className="card">
            <EmptyState icon={<IconCheck />} title="No pending requests">
              <p>New requests from resellers appear here.</p>
            </EmptyState>
          </div>
        ) : (
          <div className="card card--flush">
            <table className="table table--stack">
              <caption className="visually-hidden">Pending pool-size requests</caption>
              <thead>
                <tr>
                  <th scope="col">Reseller</th>
                  <th scope="col">Pool</th>
                  <th scope="col">Change</th>
                  <th scope="col">Note</th>
                  <th scope="col">Filed</th>
                  <th scope="col">
                    <span className="visually-hidden">Decision</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.map((r) => {
                  const pool = poolOf(r.pool_id);
                  const diff = r.requested_total - r.current_total;
                  return (
                    <tr key={r.id}>
                      <td data-label="Reseller" className="table__primary-text">
                        {resellerName(r.reseller_id)}
                      </td>
                      <td data-label="Pool">
                        {pool ? `${titleCase(pool.license_type)} · ${pool.used} of ${pool.total} used` : "Pool"}
                      </td>
                      <td data-label="Change">
                        <strong>
                          {r.current_total} → {r.requested_total}
                        </strong>{" "}
                        <span className={`delta ${diff > 0 ? "delta--up" : "delta--down"}`}>
                          ({diff > 0 ? "+" : ""}
                          {diff})
                        </span>
                      </td>
                      <td data-label="Note" className="table__note">
                        {r.note || <span className="muted">No note</span>}
                      </td>
                      <td data-label="Filed">
                        <time dateTime={r.created_at}>{formatRelative(r.created_at)}</time>
                      </td>
                      <td className="table__actions">
                        <div className="button-row">
                          <button
                            type="button"
                            className="button button--primary button--small"
                            onClick={() => setDialog({ kind: "decide", request: r, decision: "approve" })}
                            aria-label={`Approve request from ${resellerName(r.reseller_id)}`}
                          >
                            Approve
                          </button>
                          <button
                            type="button"
                            className="button button--secondary button--small"
                            onClick={() => setDialog({ kind: "decide", request: r, decision: "decline" })}
                            aria-label={`Decline request from ${resellerName(r.reseller_id)}`}
                          >
                            Decline
                          </button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="plan-section" aria-labelledby="resellers-h">
        <div className="section-head">
          <h2 id="resellers-h" className="section-title">
            Resellers
          </h2>
        </div>
        {resellers.error && !resellers.loaded ? (
          <ErrorState error={resellers.error} onRetry={resellers.reload} title="Resellers didn't load" />
        ) : !resellers.loaded ? (
          <Loading label="Loading resellers…" />
        ) : resellers.items.length === 0 ? (
          <EmptyState icon={<IconLifebuoy />} title="No resellers yet" />
        ) : (
          <div className="reseller-list">
            {resellers.items.map((r) => (
              <article key={r.id} className="card reseller" aria-label={r.name}>
                <div className="reseller__head">
                  <div>
                    <h3 className="reseller__name">{r.name}</h3>
                    <p className="reseller__meta">
                      {r.email} · {plural(r.client_count, "client")} · since {formatDate(r.created_at)}
                    </p>
                  </div>
                </div>
                {r.pools.length === 0 ? (
                  <p className="card__text muted">No pools yet.</p>
                ) : (
                  <ul className="support-pools">
                    {r.pools.map((p) => (
                      <li key={p.id} className="support-pool">
                        <div className="support-pool__name">
                          <span className="badge badge--type">{titleCase(p.license_type)}</span>
                          <span className="muted">
                            {SOURCE_WORDS[p.source]} · {formatDate(p.created_at)}
                          </span>
                        </div>
                        <div className="support-pool__bar">
                          <PoolBar pool={p} label={`${r.name} ${titleCase(p.license_type)} pool`} />
                          <span className="support-pool__count">
                            {formatNumber(p.used)} / {formatNumber(p.total)}
                          </span>
                          <FullnessBadge pool={p} />
                        </div>
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => setDialog({ kind: "adjust", pool: p, reseller: r })}
                          aria-label={`Adjust ${r.name} ${titleCase(p.license_type)} pool (${p.total} slots)`}
                        >
                          Adjust size
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </article>
            ))}
            {resellers.nextCursor ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={resellers.loadMore}
                disabled={resellers.loadingMore}
              >
                {resellers.loadingMore ? "Loading…" : "Load more resellers"}
              </button>
            ) : null}
          </div>
        )}
      </section>

      {dialog?.kind === "adjust" ? (
        <AdjustPoolModal
          pool={dialog.pool}
          resellerName={dialog.reseller.name}
          onClose={() => setDialog(null)}
          onAdjusted={(pool) => {
            setDialog(null);
            resellers.update((all) => all.map((r) => ({ ...r, pools: r.pools.map((p) => (p.id === pool.id ? pool : p)) })));
            toast({
              tone: "success",
              title: `Pool resized to ${plural(pool.total, "slot")}`,
              body: `${dialog.reseller.name} sees the new size at once.`,
            });
          }}
        />
      ) : null}
      {dialog?.kind === "decide" ? (
        <DecideRequestModal
          request={dialog.request}
          decision={dialog.decision}
          resellerName={resellerName(dialog.request.reseller_id)}
          onClose={() => setDialog(null)}
          onDecided={() => {
            setDialog(null);
            requests.reload();
            setVersion((v) => v + 1);
            toast({
              tone: "success",
              title: dialog.decision === "approve" ? "Request approved" : "Request declined",
              body:
                dialog.decision === "approve" ? `The pool now has ${plural(dialog.request.requested_total, "slot")}.` : undefined,
            });
          }}
        />
      ) : null}
    </>
  );
}
