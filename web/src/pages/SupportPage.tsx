import { useEffect, useState } from "react";
import type { Pool } from "../../../src/contracts/types.js";
import { IconCheck, IconLifebuoy, IconSearch } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { FullnessBadge, PoolBar } from "../components/PoolBar";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { useToast } from "../components/Toasts";
import { type ResellerOverview, type SupportPoolRequest, supportApi } from "../endpoints";
import { formatDate, formatNumber, formatRelative, plural, titleCase } from "../format";
import { useAsync, useDebounced, usePaged, useTitle } from "../hooks";
import { AdjustPoolModal } from "../modals/AdjustPoolModal";
import { DecideRequestModal } from "../modals/DecideRequestModal";
import { poolLabel } from "../pools";
import { setQuery, useLocation } from "../router";

type Dialog =
  | { kind: "adjust"; pool: Pool; reseller: ResellerOverview }
  | { kind: "decide"; request: SupportPoolRequest; decision: "approve" | "decline" }
  | null;

/** Support staff: pending pool-size requests to decide, and every reseller with its pools. */
export function SupportPage() {
  useTitle("Support console");
  const toast = useToast();
  const { query } = useLocation();
  const [search, setSearch] = useState(query.get("q") ?? "");
  const q = useDebounced(search.trim());
  const requests = useAsync(() => supportApi.requests("pending"), "pending");
  const [version, setVersion] = useState(0);
  const resellers = usePaged(
    (cursor) => supportApi.resellers(q, cursor).then((r) => ({ items: r.resellers, next_cursor: r.next_cursor })),
    `resellers:${q}:${version}`,
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  const pending = requests.data?.pool_requests ?? [];

  // Every pool seen in the reseller list so far, so a request's pool stays described while a search narrows the list.
  const [seenPools, setSeenPools] = useState<Record<string, Pool>>({});
  useEffect(() => {
    setSeenPools((seen) => ({ ...seen, ...Object.fromEntries(resellers.items.flatMap((r) => r.pools).map((p) => [p.id, p])) }));
  }, [resellers.items]);
  const clearSearch = () => {
    setSearch("");
    setQuery({ q: null });
  };

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
                  const pool = seenPools[r.pool_id];
                  const diff = r.requested_total - r.current_total;
                  return (
                    <tr key={r.id}>
                      <td data-label="Reseller" className="table__primary-text">
                        {r.reseller_name}
                      </td>
                      <td data-label="Pool">
                        {pool ? (
                          <span className="license-cell">
                            <span>{poolLabel(pool)}</span>
                            <span className="table__secondary">
                              {formatNumber(pool.used)} of {formatNumber(pool.total)} used
                            </span>
                          </span>
                        ) : (
                          <span className="muted">{plural(r.current_total, "slot")}</span>
                        )}
                      </td>
                      <td data-label="Change">
                        <span className="nowrap">
                          <strong>
                            {r.current_total} → {r.requested_total}
                          </strong>{" "}
                          <span className={`delta ${diff > 0 ? "delta--up" : "delta--down"}`}>
                            ({diff > 0 ? "+" : ""}
                            {diff})
                          </span>
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
                            aria-label={`Approve request from ${r.reseller_name}`}
                          >
                            Approve
                          </button>
                          <button
                            type="button"
                            className="button button--secondary button--small"
                            onClick={() => setDialog({ kind: "decide", request: r, decision: "decline" })}
                            aria-label={`Decline request from ${r.reseller_name}`}
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
        <search className="toolbar">
          <div className="search">
            <IconSearch />
            <label htmlFor="resellers-search" className="visually-hidden">
              Search resellers
            </label>
            <input
              id="resellers-search"
              className="input search__input"
              type="search"
              placeholder="Search by name or email"
              value={search}
              autoComplete="off"
              onChange={(e) => {
                setSearch(e.target.value);
                setQuery({ q: e.target.value.trim() || null });
              }}
            />
          </div>
        </search>
        {resellers.error && !resellers.loaded ? (
          <ErrorState error={resellers.error} onRetry={resellers.reload} title="Resellers didn't load" />
        ) : !resellers.loaded ? (
          <Loading label="Loading resellers…" />
        ) : resellers.items.length === 0 ? (
          q ? (
            <EmptyState
              icon={<IconSearch />}
              title={`No reseller matches “${q}”`}
              action={
                <button type="button" className="button button--secondary" onClick={clearSearch}>
                  Clear search
                </button>
              }
            >
              <p>Search by part of the reseller's name or email address.</p>
            </EmptyState>
          ) : (
            <EmptyState icon={<IconLifebuoy />} title="No resellers yet" />
          )
        ) : (
          <div className="reseller-list" aria-busy={resellers.loading}>
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
                          <span className="support-pool__titles">
                            <span className="support-pool__plan">{p.name}</span>
                            <span className="support-pool__date">{formatDate(p.created_at)}</span>
                          </span>
                        </div>
                        <div className="support-pool__bar">
                          <PoolBar pool={p} label={`${r.name} ${poolLabel(p)} pool`} />
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
          resellerName={dialog.request.reseller_name}
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
