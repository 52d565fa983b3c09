import { useState } from "react";
import { PageHeader } from "../components/Layout";
import { ErrorState, Loading } from "../components/States";
import { account } from "../endpoints";
import { formatDate } from "../format";
import { useAsync, useTitle } from "../hooks";
import { RotateApiKeyModal } from "../modals/RotateApiKeyModal";
import { useSession } from "../session";

/** The reseller's account, and API access: the key in use (by its prefix), how to call the API, and rotating the key. */
export function SettingsPage() {
  useTitle("Settings");
  const { user } = useSession();
  const me = useAsync(account.me, "me");
  const [rotating, setRotating] = useState(false);
  const reseller = me.data?.reseller;
  const baseUrl = `${window.location.origin}/api/v1`;

  const header = <PageHeader title="Settings" subtitle="Your account, and the API key your own scripts and integrations use." />;
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

  return (
    <>
      {header}
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
              <div>
                <dt>Customer since</dt>
                <dd>{formatDate(reseller.created_at)}</dd>
              </div>
            </dl>
          </section>

          <section className="card" aria-labelledby="api-key-h">
            <h2 id="api-key-h" className="card__title">
              API key
            </h2>
            <p className="key-line">
              <code className="code code--large" data-testid="api-key-prefix">
                {reseller.api_key_prefix}…
              </code>
              <span className="badge badge--success">In use</span>
            </p>
            <p className="card__text">
              Only the start of the key is shown, so you can tell keys apart. The whole key was shown once, when it was created;
              licensepool keeps only a fingerprint of it.
            </p>
            <div className="card__actions">
              <button type="button" className="button button--danger-ghost" onClick={() => setRotating(true)}>
                Rotate API key
              </button>
            </div>
            <p className="hint-line card__footnote">
              Rotate it if it may have leaked, or when someone who knew it leaves. The current key stops working at once.
            </p>
          </section>
        </div>

        <div className="detail-col">
          <section className="card api-usage" aria-labelledby="api-usage-h">
            <h2 id="api-usage-h" className="card__title">
              Using the API
            </h2>
            <p className="card__text">
              Everything you do on this dashboard can also be done from your own tools over the JSON API: buy plans, add clients,
              allocate and revoke licenses, read the activity log.
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
                    <code>{`curl -H "Authorization: Bearer $LICENSEPOOL_API_KEY" \\\n  ${baseUrl}/pools`}</code>
                  </pre>
                </dd>
              </div>
            </dl>
            <p className="hint-line">
              Answers are JSON. Lists come newest first, a page at a time: use <code className="code">?limit=</code> and{" "}
              <code className="code">?cursor=</code>.
            </p>
          </section>
        </div>
      </div>

      {rotating ? (
        <RotateApiKeyModal
          currentPrefix={reseller.api_key_prefix}
          onClose={() => setRotating(false)}
          onRotated={(next) => me.setData(() => ({ reseller: next }))}
        />
      ) : null}
    </>
  );
}
