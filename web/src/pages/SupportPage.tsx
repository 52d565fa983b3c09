import { type KeyboardEvent, useEffect, useState } from "react";
import type { Pool } from "../../../src/contracts/types.js";
import { IconCheck, IconLifebuoy, IconPlus, IconSearch } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { FullnessBadge, PoolBar } from "../components/PoolBar";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { TableHead } from "../components/Table";
import { useToast } from "../components/Toasts";
import { type ResellerOverview, type SupportPoolRequest, supportApi } from "../endpoints";
import { formatDate, formatDateTime, formatNumber, formatRelative, plural, titleCase } from "../format";
import { useAsync, useDebounced, usePaged, useTitle } from "../hooks";
import { AdjustPoolModal } from "../modals/AdjustPoolModal";
import { DecideRequestModal } from "../modals/DecideRequestModal";
import { GrantPoolModal } from "../modals/GrantPoolModal";
import { poolNames } from "../pools";
import { setQuery, useLocation } from "../router";

type Dialog =
  | { kind: "adjust"; pool: Pool; label: string; reseller: ResellerOverview }
  | { kind: "grant"; reseller: ResellerOverview }
  | { kind: "decide"; request: SupportPoolRequest; decision: "approve" | "decline" }
  | null;

type Tab = "pending" | "decided";

/** A pool as support sees it in a request row: the pool, and its name among its reseller's pools. */
interface KnownPool {
  pool: Pool;
  label: string;
}

const BASE_TYPES = ["premium", "business"];
/** At most this many resellers are looked up by name to describe request rows whose pool isn't on screen. */
const LOOKUP_MAX = 10;

function knownPools(resellers: ResellerOverview[]): Record<string, KnownPool> {
  const out: Record<string, KnownPool> = {};
  for (const r of resellers) {
    const names = poolNames(r.pools);
    for (const p of r.pools) out[p.id] = { pool: p, label: names.get(p.id)?.label ?? p.name };
  }
  return out;
}

/** Support staff: pool-size requests to decide (and those decided), and every reseller with its pools. */
export function SupportPage() {
  useTitle("Support console");
  const toast = useToast();
  const { query } = useLocation();
  const [search, setSearch] = useState(query.get("q") ?? "");
  const q = useDebounced(search.trim());
  const tab: Tab = query.get("requests") === "decided" ? "decided" : "pending";
  const requests = useAsync(() => supportApi.requests("pending"), "pending");
  const [decidedVersion, setDecidedVersion] = useState(0);
  const decided = useAsync(
    () =>
      Promise.all([supportApi.requests("approved"), supportApi.requests("declined")]).then(([a, d]) =>
        [...a.pool_requests, ...d.pool_requests].sort((x, y) => (y.decided_at ?? "").localeCompare(x.decided_at ?? "")),
      ),
    `decided:${decidedVersion}`,
  );
  const [version, setVersion] = useState(0);
  const resellers = usePaged(
    (cursor) => supportApi.resellers(q, cursor).then((r) => ({ items: r.resellers, next_cursor: r.next_cursor })),
    `resellers:${q}:${version}`,
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  const pending = requests.data?.pool_requests ?? [];

  // Every pool seen so far, named among its reseller's pools, so a request's pool stays described while a search
  // narrows the reseller list. Resellers not on screen are looked up by name (a few at most).
  const [seen, setSeen] = useState<Record<string, KnownPool>>({});
  useEffect(() => {
    setSeen((all) => ({ ...all, ...knownPools(resellers.items) }));
  }, [resellers.items]);
  const missing = [...pending, ...(decided.data ?? [])]
    .filter((r) => !seen[r.pool_id])
    .map((r) => r.reseller_name)
    .filter((name, i, names) => names.indexOf(name) === i)
    .slice(0, LOOKUP_MAX);
  const missingKey = resellers.loaded ? missing.join("\n") : "";
  const [looked, setLooked] = useState<Set<string>>(() => new Set());
  useEffect(() => {
    const names = missingKey ? missingKey.split("\n").filter((n) => !looked.has(n)) : [];
    if (names.length === 0) return;
    setLooked((s) => new Set([...s, ...names]));
    for (const name of names) {
      supportApi.resellers(name).then(
        (r) => setSeen((all) => ({ ...all, ...knownPools(r.resellers) })),
        () => {}, // The row keeps its plain description.
      );
    }
  }, [missingKey, looked]);

  const knownTypes = [
    ...new Set([
      ...BASE_TYPES,
      ...Object.values(seen).map((k) => k.pool.license_type),
      ...resellers.items.flatMap((r) => r.pools.map((p) => p.license_type)),
    ]),
  ];

  const clearSearch = () => {
    setSearch("");
    setQuery({ q: null });
  };
  const showTab = (next: Tab) => setQuery({ requests: next === "decided" ? "decided" : null });
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    const next: Tab = tab === "pending" ? "decided" : "pending";
    showTab(next);
    document.getElementById(`requests-tab-${next}`)?.focus();
  };

  const poolCell = (r: SupportPoolRequest) => {
    const known = seen[r.pool_id];
    return known ? (
      <span className="license-cell">
        <span className="table__primary-text">{known.label}</span>
        <span className="table__secondary">
          {titleCase(known.pool.license_type)} · {formatNumber(known.pool.used)} of {formatNumber(known.pool.total)} used
        </span>
      </span>
    ) : (
      <span className="muted">{plural(r.current_total, "slot")}</span>
    );
  };
  const changeCell = (r: SupportPoolRequest) => {
    const diff = r.requested_total - r.current_total;
    return (
      <span className="nowrap">
        <strong>
          {r.current_total} → {r.requested_total}
        </strong>{" "}
        <span className={`delta ${diff > 0 ? "delta--up" : "delta--down"}`}>
          ({diff > 0 ? "+" : ""}
          {diff})
        </span>
      </span>
    );
  };
  const when = (iso: string) => (
    <span className="when">
      <time dateTime={iso}>{formatDateTime(iso)}</time>
      <span className="table__secondary">{formatRelative(iso)}</span>
    </span>
  );

  return (
    <>
      <PageHeader
        title="Support console"
        subtitle="Decide pool-size requests, adjust resellers' pools and grant new ones. Every change is logged with its reason."
      />

      <section className="plan-section" aria-labelledby="requests-h">
        <div className="section-head section-head--tabs">
          <h2 id="requests-h" className="section-title">
            Pool-size requests
          </h2>
          <div className="tabs" role="tablist" aria-label="Requests" onKeyDown={onTabKey}>
            {(["pending", "decided"] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`requests-tab-${t}`}
                aria-selected={tab === t}
                aria-controls="requests-panel"
                tabIndex={tab === t ? 0 : -1}
                className={`tab${tab === t ? " is-active" : ""}`}
                onClick={() => showTab(t)}
              >
                {t === "pending" ? "Pending" : "Decided"}
                {t === "pending" && pending.length ? <span className="count-pill">{pending.length}</span> : null}
              </button>
            ))}
          </div>
        </div>
        <div id="requests-panel" role="tabpanel" aria-labelledby={`requests-tab-${tab}`}>
          {tab === "pending" ? (
            requests.error && !requests.data ? (
              <ErrorState error={requests.error} onRetry={requests.reload} title="Requests didn't load" />
            ) : !requests.data ? (
              <Loading label="Loading requests…" />
            ) : pending.length === 0 ? (
              <div className="card">
                <EmptyState icon={<IconCheck />} title="No pending requests">
                  <p>New requests from resellers appear here. Decided ones are under Decided.</p>
                </EmptyState>
              </div>
            ) : (
              <div className="card card--flush">
                <table className="table table--stack">
                  <caption className="visually-hidden">Pending pool-size requests</caption>
                  <TableHead columns={["Reseller", "Pool", "Change", "Note", "Filed"]} hiddenLast="Decision" />
                  <tbody>
                    {pending.map((r) => (
                      <tr key={r.id}>
                        <td data-label="Reseller" className="table__primary-text">
                          {r.reseller_name}
                        </td>
                        <td data-label="Pool">{poolCell(r)}</td>
                        <td data-label="Change">{changeCell(r)}</td>
                        <td data-label="Note" className="table__note">
                          {r.note || <span className="muted">No note</span>}
                        </td>
                        <td data-label="Filed">{when(r.created_at)}</td>
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
                    ))}
                  </tbody>
                </table>
              </div>
            )
          ) : decided.error && !decided.data ? (
            <ErrorState error={decided.error} onRetry={decided.reload} title="Decided requests didn't load" />
          ) : !decided.data ? (
            <Loading label="Loading decided requests…" />
          ) : decided.data.length === 0 ? (
            <div className="card">
              <EmptyState icon={<IconCheck />} title="No decided requests yet">
                <p>Requests you approve or decline are listed here, newest first.</p>
              </EmptyState>
            </div>
          ) : (
            <div className="card card--flush">
              <table className="table table--stack">
                <caption className="visually-hidden">Decided pool-size requests</caption>
                <TableHead columns={["Reseller", "Pool", "Change", "Decision", "Decided"]} />
                <tbody>
                  {decided.data.map((r) => (
                    <tr key={r.id}>
                      <td data-label="Reseller" className="table__primary-text">
                        {r.reseller_name}
                      </td>
                      <td data-label="Pool">{poolCell(r)}</td>
                      <td data-label="Change">{changeCell(r)}</td>
                      <td data-label="Decision" className="table__note">
                        <span className="license-cell">
                          <span className={`badge ${r.status === "approved" ? "badge--success" : "badge--danger"}`}>
                            {r.status === "approved" ? "Approved" : "Declined"}
                          </span>
                          {r.decision_reason ? (
                            <span className="table__secondary">“{r.decision_reason}”</span>
                          ) : (
                            <span className="table__secondary">No reason given</span>
                          )}
                        </span>
                      </td>
                      <td data-label="Decided">{r.decided_at ? when(r.decided_at) : <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
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
            {resellers.items.map((r) => {
              const names = poolNames(r.pools);
              return (
                <article key={r.id} className="card reseller" aria-label={r.name}>
                  <div className="reseller__head">
                    <div>
                      <h3 className="reseller__name">{r.name}</h3>
                      <p className="reseller__meta">
                        {r.email} · {plural(r.client_count, "client")} · since {formatDate(r.created_at)}
                      </p>
                    </div>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setDialog({ kind: "grant", reseller: r })}
                      aria-label={`Grant a pool to ${r.name}`}
                    >
                      <IconPlus />
                      Grant pool
                    </button>
                  </div>
                  {r.pools.length === 0 ? (
                    <p className="card__text muted">No pools yet.</p>
                  ) : (
                    <ul className="support-pools">
                      {r.pools.map((p) => {
                        const label = names.get(p.id)?.label ?? p.name;
                        return (
                          <li key={p.id} className="support-pool">
                            <div className="support-pool__name">
                              <span className="badge badge--type">{titleCase(p.license_type)}</span>
                              <span className="support-pool__titles">
                                <span className="support-pool__plan">{names.get(p.id)?.badge ?? p.name}</span>
                                <span className="support-pool__date">
                                  {p.source === "adjustment" ? "Granted" : "Bought"} {formatDate(p.created_at)}
                                </span>
                              </span>
                            </div>
                            <div className="support-pool__bar">
                              <PoolBar pool={p} label={`${r.name} ${label} pool`} />
                              <span className="support-pool__count">
                                {formatNumber(p.used)} / {formatNumber(p.total)}
                              </span>
                              <FullnessBadge pool={p} />
                            </div>
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              onClick={() => setDialog({ kind: "adjust", pool: p, label, reseller: r })}
                              aria-label={`Adjust ${r.name} ${label} pool (${plural(p.total, "slot")})`}
                            >
                              Adjust size
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                </article>
              );
            })}
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
          label={dialog.label}
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
      {dialog?.kind === "grant" ? (
        <GrantPoolModal
          reseller={dialog.reseller}
          knownTypes={knownTypes}
          onClose={() => setDialog(null)}
          onGranted={(pool) => {
            setDialog(null);
            resellers.update((all) => all.map((r) => (r.id === dialog.reseller.id ? { ...r, pools: [pool, ...r.pools] } : r)));
            toast({
              tone: "success",
              title: `${titleCase(pool.license_type)} pool of ${plural(pool.total, "slot")} granted`,
              body: `${dialog.reseller.name} can allocate its slots at once.`,
            });
          }}
        />
      ) : null}
      {dialog?.kind === "decide" ? (
        <DecideRequestModal
          request={dialog.request}
          decision={dialog.decision}
          resellerName={dialog.request.reseller_name}
          poolName={seen[dialog.request.pool_id]?.label}
          onClose={() => setDialog(null)}
          onDecided={() => {
            setDialog(null);
            requests.reload();
            setDecidedVersion((v) => v + 1);
            setVersion((v) => v + 1);
            toast({
              tone: "success",
              title: dialog.decision === "approve" ? "Request approved" : "Request declined",
              body:
                dialog.decision === "approve"
                  ? `The pool now has ${plural(dialog.request.requested_total, "slot")}.`
                  : "It is listed under Decided.",
            });
          }}
        />
      ) : null}
    </>
  );
}
