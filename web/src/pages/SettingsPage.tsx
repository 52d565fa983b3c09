import { useState } from "react";
import type { ApiKey } from "../../../src/contracts/types.js";
import { FlushCard, Loaded } from "../components/Card";
import { IconPlus, IconSignOut } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { ErrorState, Loading } from "../components/States";
import { TableHead } from "../components/Table";
import { useToast } from "../components/Toasts";
import { account, apiKeys } from "../endpoints";
import { formatDate, formatDateTime, formatRelative } from "../format";
import { useAsync, useTitle } from "../hooks";
import { ConfirmModal } from "../modals/ConfirmModal";
import { CreateApiKeyModal, scopeWords } from "../modals/CreateApiKeyModal";
import { RotateApiKeyModal } from "../modals/RotateApiKeyModal";
import { ROLE_WORDS, useAccess, useSession } from "../session";

type Dialog =
  | { kind: "create" }
  | { kind: "rotate"; key: ApiKey }
  | { kind: "revoke"; key: ApiKey }
  | { kind: "sign-out-everywhere" }
  | null;

/** The reseller's account and the signed-in user; API keys (owners); signing out everywhere; how to call the API. */
export function SettingsPage() {
  useTitle("Settings");
  const { user, signOutEverywhere } = useSession();
  const { canManage } = useAccess();
  const me = useAsync(account.me, "me");
  const [dialog, setDialog] = useState<Dialog>(null);
  const reseller = me.data?.reseller;
  const baseUrl = `${window.location.origin}/api/v1`;

  const header = <PageHeader title="Settings" subtitle="Your account, who you are signed in as, and API access." />;
  if (me.error && !reseller) {
    return (
      <>
        {header}
        <ErrorState error={me.error} onRetry={me.reload} title="Your settings didn't load" />
      </>
    );
  }
  if (!reseller) {
    return (
      <>
        {header}
        <Loading label="Loading your settings…" />
      </>
    );
  }
  const role = user.reseller_role ? ROLE_WORDS[user.reseller_role] : null;

  return (
    <>
      {header}
      <div className="page-stack">
        <div className="detail-grid">
          <div className="detail-col">
            <section className="card" aria-labelledby="account-h">
              <h2 id="account-h" className="card__title">
                Account
              </h2>
              <dl className="facts">
                <div>
                  <dt>Reseller</dt>
                  <dd>{reseller.name}</dd>
                </div>
                <div>
                  <dt>Email</dt>
                  <dd>{reseller.email}</dd>
                </div>
                {user.email !== reseller.email ? (
                  <div>
                    <dt>Signed in as</dt>
                    <dd>{user.email}</dd>
                  </div>
                ) : null}
                {role ? (
                  <div>
                    <dt>Your role</dt>
                    <dd>
                      <span className="badge badge--accent" data-testid="my-role">
                        {role.name}
                      </span>
                    </dd>
                  </div>
                ) : null}
                <div>
                  <dt>Customer since</dt>
                  <dd>{formatDate(reseller.created_at)}</dd>
                </div>
              </dl>
              {role ? <p className="hint-line card__footnote">{role.can}.</p> : null}
            </section>

            <section className="card" aria-labelledby="sessions-h">
              <h2 id="sessions-h" className="card__title">
                Sessions
              </h2>
              <p className="card__text">
                Signed in on a computer you no longer use, or lost a device? Sign out everywhere ends every session of{" "}
                {user.email}, this one too. API keys keep working.
              </p>
              <div className="card__actions">
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => setDialog({ kind: "sign-out-everywhere" })}
                >
                  <IconSignOut />
                  Sign out everywhere
                </button>
              </div>
            </section>
          </div>

          <div className="detail-col">
            <section className="card api-usage" aria-labelledby="api-usage-h">
              <h2 id="api-usage-h" className="card__title">
                Using the API
              </h2>
              <p className="card__text">
                Everything you do on this dashboard can also be done from your own tools over the JSON API: buy plans, add
                clients, allocate and revoke licenses, read the activity log.
              </p>
              <dl className="api-facts">
                <div>
                  <dt>Base URL</dt>
                  <dd>
                    <code className="code api-facts__value">{baseUrl}</code>
                  </dd>
                </div>
                <div>
                  <dt>Authentication</dt>
                  <dd>
                    Send your key in a header with every request:{" "}
                    <code className="code api-facts__value">Authorization: Bearer &lt;API key&gt;</code>
                  </dd>
                </div>
                <div>
                  <dt>Example: list your pools</dt>
                  <dd>
                    <pre className="codeblock">
                      <code>{`curl -H "Authorization: Bearer $LICENSEPOOL_API_KEY" ${baseUrl}/pools`}</code>
                    </pre>
                  </dd>
                </div>
              </dl>
              <p className="hint-line">
                Answers are JSON. Lists come newest first, a page at a time: use <code className="code">?limit=</code> and{" "}
                <code className="code">?cursor=</code>. A read-only key can read everything and change nothing.
              </p>
            </section>
          </div>
        </div>

        {canManage ? (
          <ApiKeysCard onCreate={() => setDialog({ kind: "create" })} onDialog={setDialog} dialog={dialog} />
        ) : (
          <section className="card" aria-labelledby="api-keys-h">
            <h2 id="api-keys-h" className="card__title">
              API keys
            </h2>
            <p className="card__text">
              Only owners of {reseller.name} see and manage API keys. Ask one if a script of yours needs a key.
            </p>
          </section>
        )}
      </div>

      {dialog?.kind === "sign-out-everywhere" ? (
        <ConfirmModal
          title="Sign out everywhere?"
          confirmLabel="Sign out everywhere"
          busyLabel="Signing out…"
          tone="danger"
          onClose={() => setDialog(null)}
          onConfirm={signOutEverywhere}
        >
          <p>
            Every session of {user.email} ends at once, on every browser and device, including this one. You'll need your password
            to sign in again.
          </p>
        </ConfirmModal>
      ) : null}
    </>
  );
}

/** Owners: the account's API keys by name, prefix, access and last use; create, rotate, revoke. */
function ApiKeysCard({ onCreate, onDialog, dialog }: { onCreate: () => void; onDialog: (d: Dialog) => void; dialog: Dialog }) {
  const toast = useToast();
  const keys = useAsync(apiKeys.list, "api-keys");
  const replace = (next: ApiKey) => keys.setData((d) => d && { api_keys: d.api_keys.map((k) => (k.id === next.id ? next : k)) });

  return (
    <FlushCard
      id="api-keys-h"
      title="API keys"
      action={
        <button type="button" className="button button--secondary button--small" onClick={onCreate}>
          <IconPlus />
          Create API key
        </button>
      }
    >
      <p className="card__text table-note">
        Only the start of each key is shown, so you can tell keys apart; the whole key was shown once, when it was made. Revoking
        or rotating a key stops it at once.
      </p>
      <Loaded state={keys} errorTitle="Your API keys didn't load" loadingLabel="Loading API keys…">
        {({ api_keys: list }) =>
          list.length === 0 ? (
            <p className="card__text table-note">No active API keys. Create one for each script or integration.</p>
          ) : (
            <table className="table table--stack">
              <caption className="visually-hidden">API keys</caption>
              <TableHead hiddenLast="Actions" columns={["Name", "Key", "Access", "Last used", "Created"]} />
              <tbody>
                {list.map((k) => (
                  <tr key={k.id}>
                    <td data-label="Name">
                      <span className="table__primary-text">{k.name}</span>
                    </td>
                    <td data-label="Key">
                      <code className="code key-prefix" data-testid="api-key-prefix">
                        {k.prefix}…
                      </code>
                    </td>
                    <td data-label="Access">
                      <span className={`badge ${k.scope === "read" ? "badge--neutral" : "badge--info"}`}>
                        {scopeWords(k.scope)}
                      </span>
                    </td>
                    <td data-label="Last used">
                      {k.last_used_at ? (
                        <time dateTime={k.last_used_at} title={formatDateTime(k.last_used_at)}>
                          {formatRelative(k.last_used_at)}
                        </time>
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td data-label="Created">
                      <time dateTime={k.created_at}>{formatDate(k.created_at)}</time>
                    </td>
                    <td className="table__actions">
                      <div className="button-row">
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => onDialog({ kind: "rotate", key: k })}
                          aria-label={`Rotate ${k.name}`}
                        >
                          Rotate
                        </button>
                        <button
                          type="button"
                          className="button button--danger-ghost button--small"
                          onClick={() => onDialog({ kind: "revoke", key: k })}
                          aria-label={`Revoke ${k.name}`}
                        >
                          Revoke
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>

      {dialog?.kind === "create" ? (
        <CreateApiKeyModal
          onClose={() => onDialog(null)}
          onCreated={(key) => keys.setData((d) => ({ api_keys: [key, ...(d?.api_keys ?? [])] }))}
        />
      ) : null}
      {dialog?.kind === "rotate" ? (
        <RotateApiKeyModal apiKey={dialog.key} onClose={() => onDialog(null)} onRotated={replace} />
      ) : null}
      {dialog?.kind === "revoke" ? (
        <ConfirmModal
          title={`Revoke “${dialog.key.name}”?`}
          confirmLabel="Revoke key"
          busyLabel="Revoking…"
          tone="danger"
          onClose={() => onDialog(null)}
          onConfirm={async () => {
            const { key } = await apiKeys.revoke(dialog.key.id);
            onDialog(null);
            keys.setData((d) => d && { api_keys: d.api_keys.filter((k) => k.id !== key.id) });
            toast({ tone: "success", title: `API key “${key.name}” revoked`, body: "Requests with it are refused from now on." });
          }}
        >
          <p>
            The key <code className="code">{dialog.key.prefix}…</code> <strong>stops working immediately</strong>: scripts using
            it are refused (401 Unauthorized). This can't be undone; create a new key if you need one.
          </p>
        </ConfirmModal>
      ) : null}
    </FlushCard>
  );
}
