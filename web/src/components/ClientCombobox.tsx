import { type KeyboardEvent, useId, useState } from "react";
import type { Client } from "../../../src/contracts/types.js";
import { clients } from "../endpoints";
import { shortSite } from "../format";
import { useAsync, useDebounced } from "../hooks";

interface ClientComboboxProps {
  label: string;
  onPick: (client: Client) => void;
  placeholder?: string;
}

/** Type to search clients by name or site; arrow keys and Enter pick one (ARIA combobox with a listbox popup). */
export function ClientCombobox({ label, onPick, placeholder = "Search clients" }: ClientComboboxProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 200);
  const results = useAsync(() => (open ? clients.list({ q, limit: 8 }) : Promise.resolve(null)), `${open}:${q}`);
  const options = results.data?.clients ?? [];

  const pick = (client: Client | undefined) => {
    if (!client) return;
    onPick(client);
    setText("");
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, Math.max(options.length - 1, 0)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === "Enter" && open && options.length) {
      e.preventDefault();
      pick(options[active]);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const expanded = open && (options.length > 0 || (!results.loading && results.data !== null));
  return (
    <div className="combobox">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && options[active] ? `${id}-opt-${active}` : undefined}
        placeholder={placeholder}
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <div id={listId} role="listbox" aria-label={label} className={`combobox__list${expanded ? " is-open" : ""}`}>
        {options.map((c, i) => (
          <div
            key={c.id}
            tabIndex={-1}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={`combobox__option${i === active ? " is-active" : ""}`}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(c);
            }}
            onMouseEnter={() => setActive(i)}
          >
            <span className="combobox__name">{c.name}</span>
            <span className="combobox__meta">{shortSite(c.site_url)}</span>
          </div>
        ))}
        {expanded && options.length === 0 ? <div className="combobox__empty">No client matches</div> : null}
      </div>
    </div>
  );
}
