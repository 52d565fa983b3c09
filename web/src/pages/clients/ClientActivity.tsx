import { ErrorState, Spinner } from "../../components/States";
import { activity } from "../../endpoints";
import { actionWords, actorWords, formatDateTime, formatRelative } from "../../format";
import { useAsync } from "../../hooks";
import { Link } from "../../router";

/** The last few audit entries for one client, with a link to the full, filtered log. */
export function ClientActivity({ clientId, version }: { clientId: string; version: number }) {
  const recent = useAsync(() => activity.list({ client_id: clientId, limit: 6 }), `${clientId}:${version}`);
  return (
    <section className="card" aria-labelledby="recent-h">
      <div className="card__head">
        <h2 id="recent-h" className="card__title">
          Recent activity
        </h2>
        <Link to={`/activity?client_id=${encodeURIComponent(clientId)}`} className="text-link">
          View all
        </Link>
      </div>
      {recent.error && !recent.data ? (
        <ErrorState error={recent.error} onRetry={recent.reload} title="Activity didn't load" />
      ) : !recent.data ? (
        <Spinner label="Loading activity…" />
      ) : recent.data.activity.length === 0 ? (
        <p className="card__text">Nothing yet.</p>
      ) : (
        <ol className="mini-log">
          {recent.data.activity.map((a) => (
            <li key={a.id} className="mini-log__item">
              <span className="mini-log__action">{actionWords(a.action)}</span>
              <span className="mini-log__meta">
                {actorWords(a.actor)} ·{" "}
                <time dateTime={a.created_at} title={formatRelative(a.created_at)}>
                  {formatDateTime(a.created_at)}
                </time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
