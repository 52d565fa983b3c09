import { type FormEvent, type ReactNode, useState } from "react";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "../../../src/contracts/limits.js";
import { ApiError } from "../api";
import { InputField } from "../components/Field";
import { SignInLayout } from "../components/Layout";
import { ErrorNotice, Loading, Notice } from "../components/States";
import { auth, type Session } from "../endpoints";
import { fieldMessage, friendlyMessage } from "../errors";
import { formatDateTime } from "../format";
import { useAsync, useTitle } from "../hooks";
import { Link } from "../router";
import { ROLE_WORDS } from "../session";

interface AcceptInvitePageProps {
  token: string;
  /** Someone is signed in in this browser already: accepting switches to the new user. */
  signedInAs: string | null;
  onAccepted: (session: Session) => void;
}

/** Where an invite link lands: who invited whom to which account, a password to choose, and in. */
export function AcceptInvitePage({ token, signedInAs, onAccepted }: AcceptInvitePageProps) {
  useTitle("Accept invite");
  const preview = useAsync(() => auth.invite(token), token);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; repeat?: string }>({});
  const invite = preview.data?.invite;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const need = {
      ...(password.length < PASSWORD_MIN ? { password: `Choose a password of at least ${PASSWORD_MIN} characters.` } : {}),
      ...(repeat !== password ? { repeat: "The two passwords are not the same." } : {}),
    };
    setFieldErrors(need);
    if (need.password || need.repeat) return;
    setBusy(true);
    setError(null);
    try {
      onAccepted(await auth.acceptInvite(token, password, name));
    } catch (err) {
      if (err instanceof ApiError && err.field === "password") setFieldErrors({ password: fieldMessage(err) });
      else setError(friendlyMessage(err));
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (preview.error) {
    const expired = preview.error instanceof ApiError && preview.error.code === "invite_expired";
    body = (
      <>
        <h1 className="signin__title">{expired ? "This invite has expired" : "This invite link doesn't work"}</h1>
        <Notice tone="warning">
          {expired
            ? "Invite links work for a limited time. Ask whoever invited you to send a new one."
            : preview.error instanceof ApiError && preview.error.code === "not_found"
              ? "It may have been used already, or withdrawn. Ask whoever invited you to send a new one."
              : friendlyMessage(preview.error)}
        </Notice>
        <p className="signin__foot">
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      </>
    );
  } else if (!invite) {
    body = <Loading label="Opening your invite…" />;
  } else {
    const role = ROLE_WORDS[invite.role];
    body = (
      <>
        <h1 className="signin__title">Join {invite.reseller_name}</h1>
        <p className="signin__lead">
          {invite.invited_by} invited <strong>{invite.email}</strong> to {invite.reseller_name}'s licensepool dashboard as{" "}
          <strong>{role.name.toLowerCase()}</strong>: {role.can.charAt(0).toLowerCase() + role.can.slice(1)}.
        </p>
        {signedInAs ? (
          <Notice tone="info">
            You're signed in as {signedInAs}. Joining signs you in as {invite.email} instead.
          </Notice>
        ) : null}
        <ErrorNotice message={error} />
        <form className="form" onSubmit={submit} noValidate>
          <InputField label="Email" type="email" value={invite.email} readOnly autoComplete="username" />
          <InputField
            label="Your name (optional)"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={NAME_MAX}
            autoComplete="name"
          />
          <InputField
            label="Choose a password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldErrors.password}
            maxLength={PASSWORD_MAX}
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong one.`}
          />
          <InputField
            label="Repeat the password"
            type="password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            error={fieldErrors.repeat}
            maxLength={PASSWORD_MAX}
            autoComplete="new-password"
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? "Joining…" : `Join ${invite.reseller_name}`}
          </button>
        </form>
        <p className="signin__foot">This link works once, until {formatDateTime(invite.expires_at)}.</p>
      </>
    );
  }

  return (
    <SignInLayout
      quote="One account, the whole team."
      points={[
        "Owners manage users and API keys",
        "Staff look after clients and licenses",
        "Viewers see everything and change nothing",
      ]}
    >
      {body}
    </SignInLayout>
  );
}
