import { type FormEvent, useState } from "react";
import { InputField } from "../components/Field";
import { SignInLayout } from "../components/Layout";
import { ErrorNotice, Notice } from "../components/States";
import { auth, type Session } from "../endpoints";
import { friendlyMessage } from "../errors";
import { useTitle } from "../hooks";

/** Sign-in for resellers and support staff: one form, the server says which role the account has. */
export function SignInPage({ notice, onSignedIn }: { notice?: string | undefined; onSignedIn: (session: Session) => void }) {
  useTitle("Sign in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const need = {
      ...(email.trim() ? {} : { email: "Enter the email you sign in with." }),
      ...(password ? {} : { password: "Enter your password." }),
    };
    setMissing(need);
    if (need.email || need.password) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await auth.login(email.trim(), password));
    } catch (err) {
      setError(friendlyMessage(err));
      setBusy(false);
    }
  };

  return (
    <SignInLayout
      quote="Every client site protected, every slot accounted for."
      points={[
        "See each pool's capacity at a glance",
        "Allocate, revoke and reissue licenses in seconds",
        "Plugins pick up changes on their next check-in",
      ]}
    >
      <h1 className="signin__title">Sign in to your dashboard</h1>
      <p className="signin__lead">Manage license pools, client sites and plans. Support staff sign in here too.</p>
      {notice && !error ? <Notice tone="info">{notice}</Notice> : null}
      <ErrorNotice message={error} />
      <form className="form" onSubmit={submit} noValidate>
        <InputField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={missing.email}
          maxLength={320}
        />
        <InputField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={missing.password}
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="signin__foot">Trouble signing in? Contact your licensepool account manager.</p>
    </SignInLayout>
  );
}
