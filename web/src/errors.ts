import { ApiError } from "./api";

/** API errors in words a reseller understands. Field-level validation errors are shown next to the field instead. */

const FIELD_WORDS: Record<string, string> = {
  name: "Name",
  site_url: "Site URL",
  pool_id: "Pool",
  license_type: "License type",
  client_id: "Client",
  requested_total: "Requested size",
  total: "New size",
  reason: "Reason",
  note: "Note",
  email: "Email",
  password: "Password",
  role: "Role",
  scope: "Access",
};

/** The server's validation message without its "field: " prefix, starting with a capital letter. */
export function fieldMessage(err: ApiError): string {
  const field = err.field;
  let message = err.message;
  if (field && message.startsWith(`${field}: `)) message = message.slice(field.length + 2);
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function friendlyMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return "Something unexpected went wrong. Reload the page and try again.";
  switch (err.code) {
    case "validation_error": {
      const field = err.field ? FIELD_WORDS[err.field] : undefined;
      return field ? `${field}: ${fieldMessage(err)}` : "Some of the details are not valid. Check the form and try again.";
    }
    case "unauthorized":
      return "Your session has ended. Sign in again to continue.";
    case "invalid_credentials":
      return "That email and password don't match an account. Check them and try again.";
    case "forbidden":
      return "Your role can't do this. Ask an owner of your account if you need access.";
    case "last_owner":
      return err.message;
    case "login_locked":
      return `${err.message} If you forgot your password, ask an owner of your account to remove you and invite you again, or your provider to reset it.`;
    case "invite_expired":
      return "This invite link has expired. Ask whoever invited you to send a new one.";
    case "csrf_failed":
      return "Your session needs refreshing. Reload the page and try again.";
    case "not_found":
      return "We couldn't find that. It may have been removed; reload to see the latest.";
    case "pool_full":
      return "This pool is full: every slot is allocated.";
    case "client_already_licensed":
      return "This client already holds a license. Revoke it first, or move it to another pool instead.";
    case "client_not_licensed":
      return "This client holds no license right now. Reload to see the latest.";
    case "site_already_registered":
      return err.message;
    case "pool_below_used":
    case "same_pool":
      return err.message;
    case "pool_request_not_pending":
      return "Someone already decided this request. Reload to see the latest.";
    case "client_suspended":
    case "client_not_suspended":
      return err.message;
    case "rate_limited":
      return "Too many attempts in a short time. Wait a minute and try again.";
    case "payload_too_large":
      return "That is too much text. Shorten it and try again.";
    case "network_error":
    case "bad_response":
      return err.message;
    default:
      return "Something went wrong on our side. Try again in a moment.";
  }
}

/** A form's errors: messages by field name, and one for the form as a whole. */
export interface FormErrors {
  field: Record<string, string>;
  form: string | null;
}

export const NO_FORM_ERRORS: FormErrors = { field: {}, form: null };

/** Splits an error into "goes next to this field" or "goes at the top of the form". */
export function formErrors(err: unknown, fields: readonly string[]): FormErrors {
  if (err instanceof ApiError && err.field && fields.includes(err.field)) {
    return { field: { [err.field]: fieldMessage(err) }, form: null };
  }
  return { field: {}, form: friendlyMessage(err) };
}

export const isPoolFull = (err: unknown): err is ApiError => err instanceof ApiError && err.code === "pool_full";
