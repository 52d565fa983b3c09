import { type FormEvent, useState } from "react";
import type { ResellerRole, TeamUser } from "../../../src/contracts/types.js";
import { ChoiceField } from "../components/ChoiceField";
import { Modal, ModalActions } from "../components/Modal";
import { ErrorNotice } from "../components/States";
import { team } from "../endpoints";
import { friendlyMessage } from "../errors";
import { ROLE_CHOICES } from "../session";

/** A user's role; takes effect on their next click. The server refuses to leave the account without an owner. */
export function ChangeRoleModal({
  user,
  onClose,
  onChanged,
}: {
  user: TeamUser;
  onClose: () => void;
  onChanged: (user: TeamUser) => void;
}) {
  const [role, setRole] = useState<ResellerRole>(user.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onChanged((await team.changeRole(user.id, role)).user);
    } catch (err) {
      setError(friendlyMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Change the role of ${user.email}`}
      description="It applies at once, to their open sessions too."
      onClose={onClose}
      busy={busy}
      size="sm"
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          form="change-role-form"
          disabled={role === user.role}
          label="Change role"
          busyLabel="Saving…"
        />
      }
    >
      <form id="change-role-form" className="form" onSubmit={submit} noValidate>
        <ChoiceField legend="Role" choices={ROLE_CHOICES} value={role} onChange={setRole} />
      </form>
      <ErrorNotice message={error} />
    </Modal>
  );
}
