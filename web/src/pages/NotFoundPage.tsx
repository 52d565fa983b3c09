import { PageHeader } from "../components/Layout";
import { EmptyState } from "../components/States";
import { useTitle } from "../hooks";
import { Link } from "../router";

export function NotFoundPage() {
  useTitle("Page not found");
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title="There's nothing at this address"
        action={
          <Link to="/licenses" className="button button--primary">
            Go to Licenses
          </Link>
        }
      >
        <p>The link may be old or mistyped.</p>
      </EmptyState>
    </>
  );
}
