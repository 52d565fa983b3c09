import type { PagedState } from "../hooks";
import { Link } from "../router";

/** A table's header row; `hiddenLast` names a last column for screen readers only (e.g. the row actions). */
export function TableHead({ columns, hiddenLast }: { columns: string[]; hiddenLast?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {hiddenLast ? (
          <th scope="col">
            <span className="visually-hidden">{hiddenLast}</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}

/** A client's name in a table row, linking to its detail page. */
export function ClientNameLink({ client }: { client: { id: string; name: string } }) {
  return (
    <Link to={`/clients/${encodeURIComponent(client.id)}`} className="table__primary">
      {client.name}
    </Link>
  );
}

/** Under a paged list: the note when the next page failed, and the button that loads it. */
export function LoadMore({
  list,
  label = "Load more",
}: {
  list: Pick<PagedState<unknown>, "error" | "nextCursor" | "loadMore" | "loadingMore">;
  label?: string;
}) {
  return (
    <>
      {list.error ? <p className="field__error">Couldn't load more. Try again.</p> : null}
      {list.nextCursor ? (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={list.loadMore}
          disabled={list.loadingMore}
        >
          {list.loadingMore ? "Loading…" : label}
        </button>
      ) : null}
    </>
  );
}
