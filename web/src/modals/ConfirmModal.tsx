import { type ReactNode, useState } from "react";
import { Modal, ModalActions } from "../components/Modal";
import { ErrorNotice } from "../components/States";
import { friendlyMessage } from "../errors";

interface ConfirmModalProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  tone?: "default" | "danger";
  /** Runs the action; a thrown error is shown in the dialog and the dialog stays open. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** "Are you sure?" for actions that change a live site: nothing happens until the confirm button is pressed. */
export function ConfirmModal({
  title,
  children,
  confirmLabel,
  busyLabel,
  tone = "default",
  onConfirm,
  onClose,
}: ConfirmModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(friendlyMessage(err));
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      onClose={onClose}
      busy={busy}
      size="sm"
      tone={tone}
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          onConfirm={confirm}
          tone={tone === "danger" ? "danger" : "primary"}
          focusCancel
          label={confirmLabel}
          busyLabel={busyLabel ?? "Working…"}
        />
      }
    >
      <div className="prose">{children}</div>
      <ErrorNotice message={error} />
    </Modal>
  );
}
