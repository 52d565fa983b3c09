import { useCallback, useEffect, useMemo, useState } from "react";
import type { SessionUser } from "../../src/contracts/types.js";
import { setCsrfToken, setSessionLostHandler } from "./api";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { Layout } from "./components/Layout";
import { Loading } from "./components/States";
import { auth, type Session } from "./endpoints";
import { AcceptInvitePage } from "./pages/AcceptInvitePage";
import { ActivityPage } from "./pages/ActivityPage";
import { ClientDetailPage } from "./pages/ClientDetailPage";
import { ClientsPage } from "./pages/ClientsPage";
import { LicensesPage } from "./pages/LicensesPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { PlansPage } from "./pages/PlansPage";
import { SettingsPage } from "./pages/SettingsPage";
import { SignInPage } from "./pages/SignInPage";
import { StaffOnlyPage } from "./pages/StaffOnlyPage";
import { SupportPage } from "./pages/SupportPage";
import { UsersPage } from "./pages/UsersPage";
import { navigate, useLocation } from "./router";
import { homeFor, SessionContext, type SessionValue } from "./session";

type Boot = { state: "checking" } | { state: "signed_out"; reason?: string } | { state: "signed_in"; user: SessionUser };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "checking" });
  const { path } = useLocation();

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setBoot({ state: "signed_in", user: session.user });
  }, []);

  const signedOut = useCallback((reason?: string) => {
    setCsrfToken(null);
    setBoot(reason ? { state: "signed_out", reason } : { state: "signed_out" });
  }, []);

  // On load: ask the server whether the cookie holds a session (and get its CSRF token); signed out is a plain answer.
  useEffect(() => {
    auth.session().then(
      (answer) => (answer.user ? signedIn(answer) : signedOut()),
      () => signedOut("We couldn't check your session. Sign in to continue."),
    );
  }, [signedIn, signedOut]);

  useEffect(() => {
    setSessionLostHandler(() => signedOut("Your session has ended. Sign in again to continue."));
    return () => setSessionLostHandler(null);
  }, [signedOut]);

  const session = useMemo<SessionValue | null>(
    () =>
      boot.state === "signed_in"
        ? {
            user: boot.user,
            signOut: async () => {
              try {
                await auth.logout();
              } finally {
                signedOut();
                navigate("/signin", { replace: true });
              }
            },
            // A failure (say, a stale CSRF token) is thrown to the confirmation dialog, which shows it.
            signOutEverywhere: async () => {
              const { sessions_ended } = await auth.logoutEverywhere();
              signedOut(
                `You signed out everywhere: ${sessions_ended === 1 ? "this session" : `all ${sessions_ended} sessions of your account`} ended. Sign in again to continue.`,
              );
              navigate("/signin", { replace: true });
            },
          }
        : null,
    [boot, signedOut],
  );

  // Send people where they belong: signed-out users to sign in, signed-in users away from it, support to its console.
  const user = session?.user ?? null;
  const target = user ? redirectFor(user, path) : null;
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);

  // An invite link works signed in or out: accepting it signs in as the new user.
  const invite = /^\/invite\/([^/]+)$/.exec(path);
  if (invite?.[1] && boot.state !== "checking")
    return (
      <AcceptInvitePage
        token={decodeURIComponent(invite[1])}
        signedInAs={boot.state === "signed_in" ? boot.user.email : null}
        onAccepted={(session) => {
          signedIn(session);
          navigate(homeFor(session.user), { replace: true });
        }}
      />
    );
  if (boot.state === "checking") return <Loading label="Opening your dashboard…" />;
  if (boot.state === "signed_out") return <SignInPage notice={boot.reason} onSignedIn={signedIn} />;
  if (!session || target) return <Loading />;
  return (
    <SessionContext.Provider value={session}>
      <Layout>
        <ErrorBoundary resetKey={path}>
          <Page path={path} user={session.user} />
        </ErrorBoundary>
      </Layout>
    </SessionContext.Provider>
  );
}

function redirectFor(user: SessionUser, path: string): string | null {
  if (path.startsWith("/invite/")) return null;
  if (path === "/" || path === "/signin") return homeFor(user);
  if (user.role === "support" && path !== "/support") return "/support";
  return null;
}

function Page({ path, user }: { path: string; user: SessionUser }) {
  if (user.role === "support") return <SupportPage />;
  if (path === "/licenses") return <LicensesPage />;
  if (path === "/clients") return <ClientsPage />;
  const client = /^\/clients\/([^/]+)$/.exec(path);
  if (client?.[1]) return <ClientDetailPage clientId={decodeURIComponent(client[1])} />;
  if (path === "/plans") return <PlansPage />;
  if (path === "/activity") return <ActivityPage />;
  if (path === "/settings") return <SettingsPage />;
  if (path === "/users") return <UsersPage />;
  if (path === "/support") return <StaffOnlyPage />;
  return <NotFoundPage />;
}
