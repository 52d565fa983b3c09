import { type FormEvent, useState } from "react";
import type { Invite, ResellerRole } from "../../../src/contracts/types.js";
import { ChoiceField } from "../components/ChoiceField";
import { InputField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { SecretRevealModal } from "../components/SecretReveal";
import { ErrorNotice } from "../components/States";
import { team } from "../endpoints";
import { formatDateTime } from "../format";
import { useFormAction } from "../hooks";
import { ROLE_CHOICES, ROLE_WORDS } from "../session";

/**
 * Step 1: the person's email and role. Step 2: the invite link, shown once, to pass on however you like (licensepool
 * sends no email). The link signs them up with that email and role.
 */
export function InviteUserModal({ onClose, onInvited }: { onClose: () => void; onInvited: (invite: Invite) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<ResellerRole>("staff");
  const { busy, errors, run, invalid } = useFormAction(["email", "role"]);
  const [sent, setSent] = useState<{ invite: Invite; url: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return invalid("email", "Enter the email address they will sign in with.");
    void run(async () => {
      const res = await team.invite(email.trim(), role);
      setSent({ invite: res.invite, url: res.invite_url });
      onInvited(res.invite);
    });
  };

  if (sent) {
    return (
      <SecretRevealModal
        key="link"
        title={`Invite link for ${sent.invite.email}`}
        description={`They join as ${ROLE_WORDS[sent.invite.role].name.toLowerCase()} when they open it and choose a password. It works once, until ${formatDateTime(sent.invite.expires_at)}.`}
        onClose={onClose}
        doneLabel="Done"
        secret={sent.url}
        label="Invite link"
        ifLost="invite them again"
        testId="invite-url"
        noun="link"
        hintTitle="Send it to them"
      >
        <li>licensepool sends no email: pass the link on yourself, by chat or email.</li>
        <li>Anyone with the link can join your account as this user, so send it only to them.</li>
      </SecretRevealModal>
    );
  }

  return (
    <Modal
      key="form"
      title="Invite a user"
      description="They get their own sign-in to this dashboard, with the role you choose."
      onClose={onClose}
      busy={busy}
      footer={<ModalActions onCancel={onClose} busy={busy} form="invite-form" label="Create invite link" busyLabel="Creating…" />}
    >
      <form id="invite-form" className="form" onSubmit={submit} noValidate>
        <InputField
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          maxLength={320}
          error={errors.field.email}
          placeholder="name@youragency.com"
          autoComplete="off"
          data-autofocus
        />
        <ChoiceField legend="Role" choices={ROLE_CHOICES} value={role} onChange={setRole} error={errors.field.role} />
      </form>
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
