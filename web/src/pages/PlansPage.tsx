import { useState } from "react";
import type { Plan, Purchase } from "../../../src/contracts/types.js";
import { IconCart } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState, ErrorState, Loading, SkeletonCards } from "../components/States";
import { useToast } from "../components/Toasts";
import { plans } from "../endpoints";
import { formatDate, formatMoney, formatNumber, plural, titleCase } from "../format";
import { useAsync, useTitle } from "../hooks";
import { ConfirmModal } from "../modals/ConfirmModal";
import { loadPools, poolNames } from "../pools";
import { Link, navigate } from "../router";
import { useAccess } from "../session";

/** The catalog (plans and top-ups) and the reseller's purchase history. */
export function PlansPage() {
  useTitle("Plans");
  const toast = useToast();
  const catalog = useAsync(plans.list, "plans");
  const history = useAsync(() => plans.purchases(), "purchases");
  const poolList = useAsync(loadPools, "pools");
  const names = poolNames(poolList.data ?? []);
  const [buying, setBuying] = useState<Plan | null>(null);
  const { canWrite } = useAccess();

  const all = catalog.data?.plans ?? [];
  const groups: { title: string; hint: string; items: Plan[] }[] = [
    { title: "Plans", hint: "Each purchase adds a new pool of license slots.", items: all.filter((p) => p.kind === "plan") },
    { title: "Top-ups", hint: "Small extra pools for when a plan runs short.", items: all.filter((p) => p.kind === "top_up") },
  ];

  return (
    <>
      <PageHeader
        title="Plans"
        subtitle={
          canWrite
            ? "Buy license capacity. A purchase arrives on your Licenses page as a new pool, ready at once."
            : "The plans on sale and what your account has bought. Owners and staff buy plans; your role is read-only."
        }
      />

      {catalog.error && !catalog.data ? (
        <ErrorState error={catalog.error} onRetry={catalog.reload} title="The catalog didn't load" />
      ) : !catalog.data ? (
        <SkeletonCards count={3} label="Loading plans…" />
      ) : all.length === 0 ? (
        <EmptyState icon={<IconCart />} title="No plans on sale right now">
          <p>Contact your licensepool account manager.</p>
        </EmptyState>
      ) : (
        groups
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <section key={g.title} className="plan-section" aria-labelledby={`plans-${g.title}`}>
              <div className="section-head">
                <h2 id={`plans-${g.title}`} className="section-title">
                  {g.title}
                </h2>
                <p className="section-hint">{g.hint}</p>
              </div>
              <div className="plan-grid">
                {g.items.map((plan) => (
                  <article key={plan.id} className="plan-card" aria-label={plan.name}>
                    <div className="plan-card__top">
                      <span className="badge badge--type">{titleCase(plan.license_type)}</span>
                      <span className="plan-card__kind">{plan.kind === "top_up" ? "Top-up" : "Plan"}</span>
                    </div>
                    <h3 className="plan-card__name">{plan.name}</h3>
                    <p className="plan-card__price">
                      {formatMoney(plan.price_cents)}
                      <span className="plan-card__once"> one-off</span>
                    </p>
                    <ul className="plan-card__facts">
                      <li>
                        <strong>{formatNumber(plan.slots)}</strong> {plan.license_type} license{" "}
                        {plan.slots === 1 ? "slot" : "slots"}
                      </li>
                      <li>{formatMoney(Math.round(plan.price_cents / plan.slots))} per site</li>
                    </ul>
                    {canWrite ? (
                      <button
                        type="button"
                        className="button button--primary button--block"
                        onClick={() => setBuying(plan)}
                        aria-label={`Buy ${plan.name}`}
                      >
                        Buy {plan.kind === "top_up" ? "top-up" : "plan"}
                      </button>
                    ) : null}
                  </article>
                ))}
              </div>
            </section>
          ))
      )}

      <section className="plan-section" aria-labelledby="history-h">
        <div className="section-head">
          <h2 id="history-h" className="section-title">
            Purchase history
          </h2>
        </div>
        {history.error && !history.data ? (
          <ErrorState error={history.error} onRetry={history.reload} title="Your purchases didn't load" />
        ) : !history.data ? (
          <Loading label="Loading purchases…" />
        ) : history.data.purchases.length === 0 ? (
          <div className="card">
            <p className="card__text">No purchases yet. Your first plan shows up here and on the Licenses page.</p>
          </div>
        ) : (
          <div className="card card--flush">
            <table className="table table--stack">
              <caption className="visually-hidden">Purchases</caption>
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">Pool</th>
                  <th scope="col">Purchased</th>
                  <th scope="col" className="table__num">
                    Price
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Pool</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.purchases.map((p) => {
                  // The price paid, when the API sends it; otherwise the plan's list price.
                  const price =
                    (p as Purchase & { price_cents?: number }).price_cents ?? all.find((x) => x.id === p.plan_id)?.price_cents;
                  return (
                    <tr key={p.id}>
                      <td data-label="Plan" className="table__primary-text">
                        {p.plan_name}
                      </td>
                      <td data-label="Pool">{names.get(p.pool_id)?.label ?? <span className="muted">…</span>}</td>
                      <td data-label="Purchased">{formatDate(p.created_at)}</td>
                      <td data-label="Price" className="table__num">
                        {price !== undefined ? formatMoney(price) : <span className="muted">—</span>}
                      </td>
                      <td className="table__actions">
                        <Link to={`/licenses?pool=${encodeURIComponent(p.pool_id)}`} className="text-link">
                          View pool
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {buying ? (
        <ConfirmModal
          title={`Buy ${buying.name}?`}
          confirmLabel={`Buy for ${formatMoney(buying.price_cents)}`}
          busyLabel="Purchasing…"
          onClose={() => setBuying(null)}
          onConfirm={async () => {
            const { pool } = await plans.purchase(buying.id);
            setBuying(null);
            toast({
              tone: "success",
              title: `${buying.name} purchased`,
              body: `A new ${buying.license_type} pool with ${plural(pool.total, "slot")} is ready on your Licenses page.`,
            });
            navigate(`/licenses?new=${encodeURIComponent(pool.id)}`);
          }}
        >
          <p>
            You'll be charged <strong>{formatMoney(buying.price_cents)}</strong> for{" "}
            {plural(buying.slots, `${buying.license_type} slot`)}.
          </p>
          <p>A new pool appears on your Licenses page straight away; you can allocate its slots at once.</p>
        </ConfirmModal>
      ) : null}
    </>
  );
}
