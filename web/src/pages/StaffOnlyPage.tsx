import { IconLifebuoy } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState } from "../components/States";
import { useTitle } from "../hooks";
import { Link } from "../router";
import { useSession } from "../session";

/** A reseller who opens /support (an old bookmark, a shared link): say whose page it is and point back home. */
export function StaffOnlyPage() {
  useTitle("Support staff only");
  const { user } = useSession();
  return (
    <>
      <PageHeader title="Support staff only" />
      <EmptyState
        icon={<IconLifebuoy />}
        title="This page is for support staff"
        action={
          <Link to="/licenses" className="button button--primary">
            Go to Licenses
          </Link>
        }
      >
        <p>
          The support console is where licensepool staff review pool-size requests. You're signed in with a reseller account
          {user.reseller_name ? ` (${user.reseller_name})` : ""}, so there is nothing for you here.
        </p>
        <p>Need a pool resized? Use “Request size change” on the pool's card on the Licenses page.</p>
      </EmptyState>
    </>
  );
}
