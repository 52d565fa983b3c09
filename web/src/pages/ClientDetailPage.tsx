import { useState } from "react";
import type { Client } from "../../../src/contracts/types.js";
import { ApiError } from "../api";
import { CheckInCell } from "../components/CheckIn";
import { IconArrowLeft, IconExternal } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { useToast } from "../components/Toasts";
import { clients } from "../endpoints";
import { formatDate, shortSite, titleCase } from "../format";
import { useAsync, useTitle } from "../hooks";
import { ClientAllocateModal } from "../modals/ClientAllocateModal";
import { ReissueModal } from "../modals/ReissueModal";
import { RevokeModal } from "../modals/RevokeModal";
import { loadPools, poolLabel, replacePool } from "../pools";
import { Link, navigate } from "../router";
import { useAccess } from "../session";
import { ClientActivity } from "./clients/ClientActivity";
import { NewSiteKeyDialog, OffboardDialog, RegenerateKeyDialog, SuspendDialog } from "./clients/ClientConfirmations";
import { ClientDetailsForm } from "./clients/ClientDetailsForm";
import { useResumeClient } from "./clients/useResumeClient";

type Dialog = "allocate" | "revoke" | "reissue" | "suspend" | "regenerate" | "offboard" | { siteKey: string } | null;

/** One client: its license, status, plugin and site key, details, and every action on it. */
export function ClientDetailPage({ clientId }: { clientId: string }) {
  const toast = useToast();
  const loaded = useAsync(() => clients.get(clientId).then((r) => r.client), clientId);
  const poolList = useAsync(loadPools, "pools");
  const [dialog, setDialog] = useState<Dialog>(null);
  const [activityVersion, setActivityVersion] = useState(0);
  const { canWrite } = useAccess();
  const client = loaded.data;
  useTitle(client?.name ?? "Client");

  const changed = (next: Client) => {
    loaded.setData(() => next);
    setActivityVersion((v) => v + 1);
  };
  const { resume, resumingId } = useResumeClient(changed);

  const back = (
    <Link to="/clients" className="back-link">
      <IconArrowLeft />
      All clients
    </Link>
  );

  if (loaded.error && !client) {
    const gone = loaded.error instanceof ApiError && loaded.error.code === "not_found";
    return (
      <>
        {back}
        <PageHeader title={gone ? "Client not found" : "Client"} />
        {gone ? (
          <EmptyState title="This client doesn't exist (any more)">
            <p>It may have been offboarded. Its history stays in the Activity log.</p>
          </EmptyState>
        ) : (
          <ErrorState error={loaded.error} onRetry={loaded.reload} title="This client didn't load" />
        )}
      </>
    );
  }
  if (!client) {
    return (
      <>
        {back}
        <Loading label="Loading client…" />
      </>
    );
  }

  const license = client.license;
  const pool = license ? poolList.data?.find((p) => p.id === license.pool_id) : undefined;
  const suspended = client.status === "suspended";
  const site = shortSite(client.site_url);

  return (
    <>
      {back}
      <PageHeader
        title={client.name}
        subtitle={
          <span className="client-sub">
            <a href={client.site_url} target="_blank" rel="noopener noreferrer" className="external-link">
              {site}
              <IconExternal />
              <span className="visually-hidden">(opens in a new tab)</span>
            </a>
            <span className={`badge ${suspended ? "badge--warning" : "badge--success"}`}>
              {suspended ? "Suspended" : "Active"}
            </span>
          </span>
        }
      />

      <div className="detail-grid">
        <div className="detail-col">
          <section className="card" aria-labelledby="license-h">
            <h2 id="license-h" className="card__title">
              License
            </h2>
            {license ? (
              <>
                <p className="big-line">
                  <span className="badge badge--type badge--large">{titleCase(license.license_type)}</span>
                </p>
                <dl className="facts">
                  <div>
                    <dt>Pool</dt>
                    <dd>{pool ? poolLabel(pool, poolList.data ?? []) : "…"}</dd>
                  </div>
                  <div>
                    <dt>Allocated</dt>
                    <dd>{formatDate(license.allocated_at)}</dd>
                  </div>
                </dl>
                {canWrite ? (
                  <div className="card__actions">
                    <button type="button" className="button button--secondary" onClick={() => setDialog("reissue")}>
                      Change license or pool
                    </button>
                    <button type="button" className="button button--danger-ghost" onClick={() => setDialog("revoke")}>
                      Revoke license
                    </button>
                  </div>
                ) : null}
              </>
            ) : (
              <>
                <p className="card__text">
                  No license: the plugin runs on the free tier, without firewall rules, malware signatures or threat-intelligence
                  sync.
                </p>
                {canWrite ? (
                  <div className="card__actions">
                    <button type="button" className="button button--primary" onClick={() => setDialog("allocate")}>
                      Allocate license
                    </button>
                  </div>
                ) : null}
              </>
            )}
          </section>

          <section className="card" aria-labelledby="status-h">
            <h2 id="status-h" className="card__title">
              Status
            </h2>
            <p className="card__text">
              {suspended
                ? "Suspended: protection updates are paused. The client keeps its license slot."
                : "Active: the plugin receives everything its license includes."}
            </p>
            {canWrite ? (
              <div className="card__actions">
                {suspended ? (
                  <button
                    type="button"
                    className="button button--primary"
                    onClick={() => void resume(client)}
                    disabled={resumingId === client.id}
                  >
                    {resumingId === client.id ? "Resuming…" : "Resume client"}
                  </button>
                ) : (
                  <button type="button" className="button button--secondary" onClick={() => setDialog("suspend")}>
                    Suspend client
                  </button>
                )}
              </div>
            ) : null}
          </section>

          <section className="card" aria-labelledby="plugin-h">
            <h2 id="plugin-h" className="card__title">
              Plugin
            </h2>
            <dl className="facts">
              <div>
                <dt>Last check-in</dt>
                <dd>
                  <CheckInCell at={client.last_check_in_at} />
                </dd>
              </div>
              <div>
                <dt>Plugin version</dt>
                <dd>{client.plugin_version ?? "Not reported yet"}</dd>
              </div>
              <div>
                <dt>Site key</dt>
                <dd>
                  <code className="code">{client.site_key_prefix}…</code>
                </dd>
              </div>
            </dl>
            {canWrite ? (
              <div className="card__actions">
                <button type="button" className="button button--secondary" onClick={() => setDialog("regenerate")}>
                  Regenerate site key
                </button>
              </div>
            ) : null}
          </section>
        </div>
        <div className="detail-col">
          {canWrite ? (
            <ClientDetailsForm client={client} onSaved={changed} />
          ) : (
            <section className="card" aria-labelledby="details-h">
              <h2 id="details-h" className="card__title">
                Details
              </h2>
              <dl className="facts">
                <div>
                  <dt>Client name</dt>
                  <dd>{client.name}</dd>
                </div>
                <div>
                  <dt>Site URL</dt>
                  <dd>{client.site_url}</dd>
                </div>
                <div>
                  <dt>Added</dt>
                  <dd>{formatDate(client.created_at)}</dd>
                </div>
              </dl>
            </section>
          )}

          <ClientActivity clientId={client.id} version={activityVersion} />

          {canWrite ? (
            <section className="card card--danger" aria-labelledby="offboard-h">
              <h2 id="offboard-h" className="card__title">
                Offboard client
              </h2>
              <p className="card__text">
                Removes the client and its site key. Its license slot returns to the pool. The Activity log keeps its history.
              </p>
              <div className="card__actions">
                <button type="button" className="button button--danger-ghost" onClick={() => setDialog("offboard")}>
                  Offboard {client.name}
                </button>
              </div>
            </section>
          ) : null}
        </div>
      </div>

      {dialog === "allocate" ? (
        <ClientAllocateModal
          client={client}
          onClose={() => setDialog(null)}
          onAllocated={({ license: next, pool: after }) => {
            setDialog(null);
            const { pool_id, license_type, allocated_at } = next;
            changed({ ...client, license: { pool_id, license_type, allocated_at } });
            poolList.setData((all) => replacePool(all, after));
            toast({
              tone: "success",
              title: `License allocated to ${client.name}`,
              body: "The plugin picks it up on its next check-in.",
            });
          }}
        />
      ) : null}
      {dialog === "revoke" && license ? (
        <RevokeModal
          client={{ ...client, license_type: license.license_type }}
          onClose={() => setDialog(null)}
          onRevoked={(r) => {
            setDialog(null);
            changed(r.client);
            poolList.setData((all) => replacePool(all, r.pool));
            toast({
              tone: "success",
              title: `License revoked from ${client.name}`,
              body: "The plugin falls back to the free tier at its next check-in.",
            });
          }}
          onSuspended={(c) => {
            setDialog(null);
            changed(c);
            toast({ tone: "success", title: `${client.name} suspended`, body: "It keeps its license slot." });
          }}
        />
      ) : null}
      {dialog === "reissue" ? (
        <ReissueModal
          client={client}
          onClose={() => setDialog(null)}
          onReissued={(c, to, label) => {
            setDialog(null);
            const typeChanged = license?.license_type !== to.license_type;
            changed(c);
            poolList.reload();
            toast({
              tone: "success",
              title: `${client.name} moved to ${label}`,
              body: typeChanged
                ? `The plugin switches to ${titleCase(to.license_type)} at its next check-in.`
                : "Same license type: the plugin notices no change.",
            });
          }}
        />
      ) : null}
      {dialog === "suspend" ? (
        <SuspendDialog
          client={client}
          onClose={() => setDialog(null)}
          onSuspended={(next) => {
            setDialog(null);
            changed(next);
            toast({ tone: "success", title: `${client.name} suspended` });
          }}
        />
      ) : null}
      {dialog === "regenerate" ? (
        <RegenerateKeyDialog
          client={client}
          onClose={() => setDialog(null)}
          onRegenerated={(res) => {
            changed(res.client);
            setDialog({ siteKey: res.site_key });
          }}
        />
      ) : null}
      {dialog && typeof dialog === "object" ? (
        <NewSiteKeyDialog client={client} siteKey={dialog.siteKey} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === "offboard" ? (
        <OffboardDialog
          client={client}
          onClose={() => setDialog(null)}
          onOffboarded={() => {
            setDialog(null);
            toast({
              tone: "success",
              title: `${client.name} offboarded`,
              body: license ? "Its license slot is free again." : undefined,
            });
            navigate("/clients");
          }}
        />
      ) : null}
    </>
  );
}
